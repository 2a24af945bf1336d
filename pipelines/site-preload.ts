import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A prerendered page shows its tables and charts only after hydration, and Evidence's layout fetches what they show
 * one step after another, each step only once the app's code has run: `/data/manifest.json`, then the page's
 * `all-queries.json`, then every prerendered query result it names. This writes those files into the page's head as
 * `<link rel="preload" as="fetch" crossorigin="anonymous">` (the same mode and credentials as the layout's `fetch`,
 * so the browser hands the preloaded response over), so they load while the code loads.
 *
 * The page's route is the one the layout asked for at prerender (`/api/<route id>/evidencemeta.json`, inlined by
 * SvelteKit); Evidence names the query list `api/md5(<route id>)/md5(<params>)/all-queries.json`. Only files that
 * exist are named. Returns the number of pages changed.
 */
export function preloadPrerenderedQueries(dir: string): number {
  let pages = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.html')) continue;
    const path = join(dir, f);
    const html = readFileSync(path, 'utf8');
    const links = preloadLinks(dir, f, html);
    if (!links.length || html.includes('rel="preload" as="fetch"')) continue;
    writeFileSync(path, html.replace('</head>', `${links.map((href) => `<link rel="preload" as="fetch" crossorigin="anonymous" href="${href}">`).join('')}</head>`));
    pages++;
  }
  return pages;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The URLs a prerendered page's layout fetches for its prerendered query results, in the order it fetches them. */
export function preloadLinks(dir: string, htmlFile: string, html: string): string[] {
  const meta = /data-url="([^"]*)\/api\/(\/[^"]*)\/evidencemeta\.json"/.exec(html);
  if (!meta) return [];
  const [, base, routeId] = meta as unknown as [string, string, string];
  const params = routeParams(routeId, htmlFile);
  if (!params) return [];
  const paramsHash = md5(Object.entries(params).sort().map(([k, v]) => `${k}\x1F${v}`).join('\x1E'));
  const list = join('api', md5(routeId), paramsHash, 'all-queries.json');
  if (!existsSync(join(dir, list))) return [];
  const hashes = [...new Set(Object.values(JSON.parse(readFileSync(join(dir, list), 'utf8')) as Record<string, string>))];
  const results = hashes.map((h) => join('api', 'prerendered_queries', `${h}.arrow`)).filter((p) => existsSync(join(dir, p)));
  const files = ['data/manifest.json', list, ...results].filter((p) => existsSync(join(dir, p)));
  return files.map((p) => `${base}/${p.split(/[\\/]/).join('/')}`);
}

/** The route's parameters from the page's own path: `/indikaattorit/[indicator]` and `indikaattorit/x/index.html` → `{ indicator: 'x' }`. */
function routeParams(routeId: string, htmlFile: string): Record<string, string> | undefined {
  const routeParts = routeId.split('/').filter(Boolean);
  const pathParts = htmlFile.split(/[\\/]/).filter((p) => p !== 'index.html');
  if (routeParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of routeParts.entries()) {
    const name = /^\[([^\]]+)\]$/.exec(part)?.[1];
    if (name) params[name] = decodeURIComponent(pathParts[i]!);
    else if (part !== pathParts[i]) return undefined;
  }
  return params;
}
