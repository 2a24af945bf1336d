/**
 * Who may fetch what from the built site: pure rules over request paths, and the index of which data files lie
 * behind which page, read from the Evidence build.
 *
 * What an Evidence 40 build contains (docs/operations.md, "Sign-in and audiences"):
 * - pages: `<route>.html` / `<route>/index.html`, served as `/<route>`;
 * - per page route: `api/<route>/evidencemeta.json` (the page's queries, with the SQL naming `<source>.<table>`),
 *   `api/<md5(route id)>/<md5(params)>/all-queries.json` (query name → hash of its prerendered result) and
 *   `api/prerendered_queries/<hash>.arrow` (the results, shared between pages with equal results);
 * - per table: `data/<source>/<table>/<hash>/<table>.parquet` and `<table>.schema.json`, loaded by the browser's
 *   DuckDB when a query on the page needs the table;
 * - shared: `_app/` (the application), icons and other static files, `data/manifest.json`, `api/pagesManifest.json`,
 *   `api/customFormattingSettings.json`.
 * A data file is served to a user who may see at least one page route that reads it; a data file that no page reads
 * is served to nobody.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

/** The audiences a user belongs to: the union over the user's groups (unknown groups give none). */
export function audiencesOf(groups: readonly string[], mapping: Readonly<Record<string, readonly string[]>>): string[] {
  const out = new Set<string>();
  for (const g of groups) for (const a of mapping[g] ?? []) out.add(a);
  return [...out].sort();
}

export interface PathRule {
  prefix: string;
  audiences: readonly string[];
}

/** `prefix` covers `path` when equal or a whole-segment prefix ("/yksikot" covers "/yksikot/x", not "/yksikotx"). */
export function covers(prefix: string, path: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

/** The rule for a page path: the longest covering prefix (rules sorted longest first), or none. */
export function ruleFor(path: string, rules: readonly PathRule[]): PathRule | undefined {
  return rules.find((r) => covers(r.prefix, path));
}

/** May a user with these audiences see the page at `path`? No covering rule = nobody. */
export function mayView(path: string, audiences: readonly string[], rules: readonly PathRule[]): boolean {
  const rule = ruleFor(path, rules);
  return !!rule && rule.audiences.some((a) => audiences.includes(a));
}

/** What a request path is, for access control. */
export type Resource =
  | { kind: 'page'; path: string }
  | { kind: 'table'; source: string; table: string }
  | { kind: 'result'; hash: string }
  | { kind: 'route-results'; routeHash: string }
  | { kind: 'route-meta'; route: string }
  | { kind: 'shared' }
  | { kind: 'unknown-data' };

const SHARED_API = new Set(['pagesManifest.json', 'customFormattingSettings.json']);

/**
 * Classifies a request path, the way the static server resolves it: percent-decoded, repeated slashes collapsed,
 * a `.br`/`.gz` suffix ignored (the precompressed copy is the same file). Returns null for a path that tries to
 * leave the site (`..`) or does not decode.
 */
export function classify(rawPath: string): Resource | null {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.')) return null;
  path = path.replace(/\/{2,}/g, '/').replace(/\.(br|gz)$/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'data') {
    if (parts.length === 2 && parts[1] === 'manifest.json') return { kind: 'shared' };
    if (parts.length >= 4) return { kind: 'table', source: parts[1] as string, table: parts[2] as string };
    return { kind: 'unknown-data' };
  }
  if (parts[0] === 'api') {
    if (parts.length >= 2 && SHARED_API.has(parts[1] as string)) return { kind: 'shared' };
    if (parts.length === 3 && parts[1] === 'prerendered_queries') {
      const m = /^([0-9a-f]{32})\.arrow$/.exec(parts[2] as string);
      return m ? { kind: 'result', hash: m[1] as string } : { kind: 'unknown-data' };
    }
    if (parts.at(-1) === 'evidencemeta.json') return { kind: 'route-meta', route: `/${parts.slice(1, -1).join('/')}` };
    if (parts.length >= 3 && /^[0-9a-f]{32}$/.test(parts[1] as string))
      return { kind: 'route-results', routeHash: parts[1] as string };
    return { kind: 'unknown-data' };
  }
  if (parts[0] === '_app') return { kind: 'shared' };
  const last = parts.at(-1) ?? '';
  const ext = /\.([A-Za-z0-9]+)$/.exec(last)?.[1];
  if (ext && ext !== 'html') return { kind: 'shared' }; // icons, logos, the service worker: no data outside data/ and api/
  const page = `/${parts.join('/')}`.replace(/\.html$/, '').replace(/\/index$/, '') || '/';
  return { kind: 'page', path: page };
}

/** One page route of the build and the data behind it. */
export interface RouteData {
  /** SvelteKit route id, e.g. "/", "/yksikot", "/yksikot/[unit]"; access is decided as for a page at this path. */
  route: string;
  tables: Set<string>;
  results: Set<string>;
}

export interface SiteIndex {
  routes: RouteData[];
  byRouteHash: Map<string, RouteData>;
  /** `<source>.<table>` → the routes that read it. */
  byTable: Map<string, RouteData[]>;
  /** prerendered result hash → the routes that show it. */
  byResult: Map<string, RouteData[]>;
}

const EvidenceMeta = z.object({
  queries: z.array(
    z.object({ compiledQueryString: z.string().optional(), inputQueryString: z.string().optional() }).passthrough(),
  ),
});
const AllQueries = z.record(z.string());

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function filesNamed(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p === name || p.endsWith(`${sep}${name}`));
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not the Evidence build file expected: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Reads the build in `root`: every page route with the tables its queries read and its prerendered results. */
export function readSiteIndex(root: string): SiteIndex {
  const dataDir = join(root, 'data');
  const sources = existsSync(dataDir)
    ? readdirSync(dataDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];
  const tableRef = sources.length
    ? new RegExp(`\\b(${sources.map((s) => s.replace(/\W/g, '')).join('|')})\\s*\\.\\s*"?(\\w+)"?`, 'gi')
    : null;
  const apiDir = join(root, 'api');
  const routes: RouteData[] = [];
  const byRouteHash = new Map<string, RouteData>();
  for (const file of filesNamed(apiDir, 'evidencemeta.json')) {
    const route = `/${relative(apiDir, join(apiDir, file)).split(sep).slice(0, -1).join('/')}`;
    const data: RouteData = { route, tables: new Set(), results: new Set() };
    for (const q of readJson(join(apiDir, file), EvidenceMeta).queries) {
      for (const sql of [q.compiledQueryString, q.inputQueryString]) {
        for (const m of sql && tableRef ? sql.matchAll(tableRef) : []) {
          data.tables.add(`${(m[1] as string).toLowerCase()}.${(m[2] as string).toLowerCase()}`);
        }
      }
    }
    routes.push(data);
    byRouteHash.set(md5(route), data);
  }
  for (const file of filesNamed(apiDir, 'all-queries.json')) {
    const routeHash = file.split(sep)[0] as string;
    const data = byRouteHash.get(routeHash);
    if (!data) continue; // results of no known page route are served to nobody
    for (const hash of Object.values(readJson(join(apiDir, file), AllQueries))) data.results.add(hash);
  }
  const byTable = new Map<string, RouteData[]>();
  const byResult = new Map<string, RouteData[]>();
  for (const r of routes) {
    for (const t of r.tables) byTable.set(t, [...(byTable.get(t) ?? []), r]);
    for (const h of r.results) byResult.set(h, [...(byResult.get(h) ?? []), r]);
  }
  return { routes, byRouteHash, byTable, byResult };
}

/**
 * May a user with these audiences fetch this resource? Pages by the path rules; data files when at least one page
 * route that reads them may be viewed; shared application files always (the caller has checked the sign-in).
 */
export function mayFetch(
  resource: Resource,
  audiences: readonly string[],
  rules: readonly PathRule[],
  index: SiteIndex,
): boolean {
  const anyRoute = (routes: readonly RouteData[] | undefined) => (routes ?? []).some((r) => mayView(r.route, audiences, rules));
  switch (resource.kind) {
    case 'shared':
      return true;
    case 'page':
      return mayView(resource.path, audiences, rules);
    case 'table':
      return anyRoute(index.byTable.get(`${resource.source.toLowerCase()}.${resource.table.toLowerCase()}`));
    case 'result':
      return anyRoute(index.byResult.get(resource.hash));
    case 'route-results': {
      const r = index.byRouteHash.get(resource.routeHash);
      return !!r && mayView(r.route, audiences, rules);
    }
    case 'route-meta':
      return mayView(resource.route, audiences, rules);
    case 'unknown-data':
      return false;
  }
}
