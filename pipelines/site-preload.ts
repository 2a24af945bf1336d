import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A prerendered page carries its figures and tables in its HTML (docs/evidence-offline-patch.md, "Figures in the
 * prerendered page"), but its charts, and every query after hydration, take their rows from the prerendered query
 * results, and Evidence's layout fetches those one step after another, each step only once the app's code has run:
 * `/data/manifest.json`, then the page's `all-queries.json`, then every prerendered query result it names (the same
 * result once per query name that has it). Those requests shared the browser's six connections with the app's code
 * and each needed a round trip to revalidate (a CPU profile of /toteutus, 29.11.2026: about 60 requests, the
 * duplicates fetched again after the code had loaded).
 *
 * This puts the page's query list and results into the page itself, as the responses SvelteKit inlines for the
 * fetches of a prerendered page's `load` (`<script type="application/json" data-sveltekit-fetched data-url=…>`,
 * binary bodies base64 with `data-b64`): the layout's `fetch` during hydration takes them from the document, so the
 * results cost no request at all. A page whose results together pass `INLINE_LIMIT_BYTES` gets
 * `<link rel="preload" as="fetch" crossorigin="anonymous">` for them instead (the same mode and credentials as the
 * layout's `fetch`, so the browser hands the preloaded response over), and the manifest, which the layout fetches
 * outside SvelteKit, is always preloaded.
 *
 * The page's route is the one the layout asked for at prerender (`/api/<route id>/evidencemeta.json`, inlined by
 * SvelteKit); Evidence names the query list `api/md5(<route id>)/md5(<params>)/all-queries.json`. Only files that
 * exist are named. Returns the number of pages changed.
 */
export function preloadPrerenderedQueries(dir: string, inlineLimitBytes = INLINE_LIMIT_BYTES): number {
  let pages = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.html')) continue;
    const path = join(dir, f);
    const html = readFileSync(path, 'utf8');
    const found = prerenderedFiles(dir, f, html);
    if (!found || html.includes('rel="preload" as="fetch"')) continue;
    const url = (file: string) => `${found.base}/${file}`;
    const [manifest, ...results] = found.files;
    const bytes = results.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
    const head =
      bytes <= inlineLimitBytes
        ? preloadTag(url(manifest)) + results.map((file) => inlinedResponse(dir, file, url(file))).join('')
        : found.files.map((file) => preloadTag(url(file))).join('');
    writeFileSync(path, html.replace('</head>', `${head}</head>`));
    pages++;
  }
  return pages;
}

/**
 * Above this many bytes of query results a page names them for preloading instead of carrying them (base64 makes
 * them a third larger; the biggest demo page, an area, has about 220 kB).
 */
export const INLINE_LIMIT_BYTES = 512 * 1024;

const preloadTag = (href: string) => `<link rel="preload" as="fetch" crossorigin="anonymous" href="${href}">`;

/** A file of the site as SvelteKit's client reads an inlined response (runtime/client/fetcher.js `initial_fetch`). */
function inlinedResponse(dir: string, file: string, url: string): string {
  const bytes = readFileSync(join(dir, file));
  const binary = file.endsWith('.arrow');
  const payload = { status: 200, statusText: '', headers: {}, body: binary ? bytes.toString('base64') : bytes.toString('utf8') };
  // inside a script element only `<` (as in `</script` and `<!--`) and the two JS line separators need escaping
  const json = JSON.stringify(payload).replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" data-sveltekit-fetched data-url="${url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"${binary ? ' data-b64' : ''}>${json}</script>`;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * The URLs a prerendered page's layout fetches for its prerendered query results, in the order it fetches them: the
 * manifest, the query list, the distinct results.
 */
export function preloadLinks(dir: string, htmlFile: string, html: string): string[] {
  const found = prerenderedFiles(dir, htmlFile, html);
  return found ? found.files.map((file) => `${found.base}/${file}`) : [];
}

/** The files behind preloadLinks (paths in the site with `/`, a manifest first) and the site's base path. */
function prerenderedFiles(dir: string, htmlFile: string, html: string): { base: string; files: [string, ...string[]] } | undefined {
  const meta = /data-url="([^"]*)\/api\/(\/[^"]*)\/evidencemeta\.json"/.exec(html);
  if (!meta) return undefined;
  const [, base, routeId] = meta as unknown as [string, string, string];
  const params = routeParams(routeId, htmlFile);
  if (!params) return undefined;
  const paramsHash = md5(Object.entries(params).sort().map(([k, v]) => `${k}\x1F${v}`).join('\x1E'));
  const list = join('api', md5(routeId), paramsHash, 'all-queries.json');
  if (!existsSync(join(dir, list)) || !existsSync(join(dir, 'data', 'manifest.json'))) return undefined;
  const hashes = [...new Set(Object.values(JSON.parse(readFileSync(join(dir, list), 'utf8')) as Record<string, string>))];
  const results = hashes.map((h) => join('api', 'prerendered_queries', `${h}.arrow`)).filter((p) => existsSync(join(dir, p)));
  const files = [join('data', 'manifest.json'), list, ...results].map((p) => p.split(/[\\/]/).join('/'));
  return { base, files: files as [string, ...string[]] };
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
