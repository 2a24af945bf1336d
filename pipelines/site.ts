import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, relative } from 'node:path';
import type { SiteFrame } from './settings/pipeline.js';
import sirv from 'sirv';
import type { AccessGate } from './auth/access-gate.js';
import type { Logger } from './log.js';
import { projectRoot } from './paths.js';
import { cacheControlFor, precompressSite } from './site-compression.js';
import { preloadPrerenderedQueries } from './site-preload.js';
import { countPages, watchBuildProgress } from './build-progress.js';
import { loadMessageCatalogue } from './site-messages.js';
import { localiseSourceData, SOURCE_DATA_DIR } from './site-data-language.js';
import { writeEmptySources } from './site-empty-sources.js';
import { bundleFingerprint, forgetBundles, keptBundles, recordBundles } from './site-bundles.js';
import { prerenderKeptBundles } from './site-prerender.js';
import { forgetSources, planSources, queryChecksums, recordSources, removeQueryOutput, SOURCE_NAME, sourcesFingerprint, type SourcesPlan } from './site-sources.js';

/** Where `evidence build` leaves the site (the Evidence CLI always copies its output to ./build). */
export const BUILD_DIR = join(projectRoot, 'build');
const SOURCE_DIR = join(projectRoot, 'sources', 'warehouse');
const EVIDENCE_BIN = join(projectRoot, 'node_modules', '.bin', 'evidence');
/** Evidence's Vite config plus what keeps the build's memory down; `evidence build` hands `--config` to `vite build`. */
export const VITE_BUILD_CONFIG = join(projectRoot, 'evidence-offline', 'vite-build.config.js');
/** The record of the last successful `evidence sources` run (pipelines/site-sources.ts), beside Evidence's template. */
export const SOURCES_RECORD = join(projectRoot, '.evidence', 'tj-sources.json');
/** The brotli/gzip copies of the last build's files by content (pipelines/site-compression.ts), for the next build. */
const COMPRESSED_CACHE = join(projectRoot, '.evidence', 'tj-compressed');

/**
 * The environment Evidence runs with: telemetry off, and the warehouse source pointed at WAREHOUSE_PATH
 * (the DuckDB connector takes a path relative to the source folder).
 */
export function evidenceEnv(
  warehousePath: string,
  base: NodeJS.ProcessEnv = process.env,
  frame: SiteFrame = DEFAULT_FRAME,
): NodeJS.ProcessEnv {
  // A test runner's NODE_ENV=test / VITEST* would make Vite build dev-only routes into the site; Evidence builds
  // must always be production builds, whoever starts them.
  const inherited = Object.fromEntries(
    Object.entries(base).filter(([k]) => k !== 'NODE_ENV' && k !== 'TEST' && !k.startsWith('VITEST')),
  );
  return {
    ...inherited,
    SEND_ANONYMOUS_USAGE_STATS: 'no',
    EVIDENCE_SOURCE__warehouse__filename: relative(SOURCE_DIR, warehousePath),
    ...buildMemoryEnv(base),
    ...frameEnv(frame),
  };
}

/**
 * GOMEMLIMIT for esbuild, Vite's Go minifier, which otherwise holds a few hundred MB of garbage while it minifies the
 * client bundles (a limit the caller set is kept; 128 MiB: 225 MB resident at 256 MiB). The Node processes keep
 * Evidence's 4 096 MB V8 heap: `vite build` holds about 1.7 GB live at the end of the client build (measured), so a
 * smaller limit only fails the build; its heap is kept near what is live by the tj-build-memory plugin instead
 * (docs/operations.md, "The build's memory and time").
 */
export function buildMemoryEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  return { GOMEMLIMIT: base.GOMEMLIMIT ?? '128MiB' };
}

/** The demo's frame: the neutral "Tiedolla johtaminen" name, Finnish. */
export const DEFAULT_FRAME: SiteFrame = { name: 'Tiedolla johtaminen', language: 'fi' };

const LOGO_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/**
 * The frame as the build's VITE_TJ_* variables (read by evidence-offline/site.js and messages.js): the logo is
 * embedded as a data URL (no file to copy, no request), the pages' texts are the message catalogue's in the site
 * language (checked here: a missing key fails before the build). Nothing from the data: Vite compiles these into the
 * bundles, which a data-only refresh reuses (the data's date goes into the pages, `stampHtml`).
 */
export function frameEnv(frame: SiteFrame): Record<string, string> {
  const env: Record<string, string> = {
    VITE_TJ_SITE_NAME: frame.name,
    VITE_TJ_LANGUAGE: frame.language,
    VITE_TJ_PAGE_MESSAGES: JSON.stringify(loadMessageCatalogue()[frame.language]),
  };
  if (frame.logo) {
    const type = LOGO_TYPES[extname(frame.logo).toLowerCase()];
    if (!type) throw new Error(`site.logo ${frame.logo}: not an svg, png or jpg file`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(frame.logo);
    } catch (e) {
      throw new Error(`site.logo ${frame.logo}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    env.VITE_TJ_SITE_LOGO = `data:${type};base64,${bytes.toString('base64')}`;
  }
  const linkColour = frame.linkColour ?? frame.primaryColour;
  if (linkColour) env.VITE_TJ_LINK_COLOUR = linkColour;
  if (frame.primaryColour) env.VITE_TJ_PRIMARY_COLOUR = frame.primaryColour;
  if (frame.accentColour) env.VITE_TJ_ACCENT_COLOUR = frame.accentColour;
  // read by Evidence's theme loader in the build process (tj-evidence-offline/chart-palette.js)
  if (frame.chartColours) env.VITE_TJ_CHART_COLOURS = JSON.stringify(frame.chartColours);
  return env;
}

/** When the data the site shows was written (the warehouse file's time), as the pages say it. */
export function dataAsOf(warehousePath: string): string {
  return formatDataAsOf(statSync(warehousePath).mtime);
}

/** "28.11.2026 klo 19.51" in Finnish time: when the data the site shows was written. */
export function formatDataAsOf(date: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('fi-FI', { day: 'numeric', month: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Helsinki' })
      .formatToParts(date)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}.${p.month}.${p.year} ${p.hour}.${p.minute}`;
}

/** The meta element naming the data's date in every built page (read by tj-evidence-offline/site.js). */
export const DATA_AS_OF_META = 'tj-data-as-of';

/**
 * Evidence's page template says <html lang="en">; the built pages say the site's language (the browser's reader,
 * spell checker and hyphenation follow it), and, given `asOf`, the data's date in a
 * `<meta name="tj-data-as-of">` (from the data of this build, never from the bundles, which a data-only refresh
 * reuses). Rewritten in the built HTML, before the compressed copies are made.
 */
export function setHtmlLanguage(dir: string, language: string, asOf?: string): number {
  let files = 0;
  const meta = asOf === undefined ? '' : `<meta name="${DATA_AS_OF_META}" content="${asOf.replace(/[&"<>]/g, '')}">`;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.html')) continue;
    const path = join(dir, f);
    const html = readFileSync(path, 'utf8');
    const fixed = html.replace(/<html lang="[^"]*"/, `<html lang="${language}"`).replace('</head>', `${meta}</head>`);
    if (fixed !== html) {
      writeFileSync(path, fixed);
      files++;
    }
  }
  return files;
}

/** Evidence reads pages from ./pages; ours live in ./reports. The link makes reports/ the one source of truth. */
export function ensurePagesLink(): void {
  const pages = join(projectRoot, 'pages');
  if (existsSync(pages) || isDanglingLink(pages)) {
    if (!lstatSync(pages).isSymbolicLink()) {
      throw new Error(`${pages} must be a symlink to reports/ (pages are kept in reports/), but it is a real folder`);
    }
    return;
  }
  symlinkSync('reports', pages, 'dir');
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The ids of the page queries Evidence reports failed (`<id> | Error in Query! <message>`) in these output lines (pure). */
export function queryErrorIds(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const m = /^\s*(\S+) \| Error in Query!/.exec(line);
    return m ? [m[1]!] : [];
  });
}

/** A build process that died because its V8 heap was full (Node prints "JavaScript heap out of memory", a worker thread "JS heap out of memory"). */
export class HeapLimitError extends Error {}

/**
 * Runs a command of the build to completion, failing loudly on a non-zero exit or a hang. Its stderr is passed
 * through, and its tail kept to tell a full V8 heap (HeapLimitError) from other failures.
 */
export function runBuildProcess(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: Logger,
  timeoutMs: number,
  cwd: string = projectRoot,
): Promise<number> {
  const started = Date.now();
  const name = bin.split('/').pop();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let tail = '';
    let partial = '';
    const failedQueries = new Set<string>();
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-8192);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const id of queryErrorIds(lines)) failedQueries.add(id);
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${name} ${args.join(' ')} did not finish in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${name}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      for (const id of queryErrorIds([partial])) failedQueries.add(id);
      if (code === 0 && failedQueries.size) {
        // Evidence's strict mode stops only on chart errors: a page query that failed while prerendering would ship
        // as an error box. The message names the queries, not Evidence's error text (it may quote a value).
        const ids = [...failedQueries];
        reject(new Error(`${name} ${args[0]}: ${ids.length} page ${ids.length === 1 ? 'query' : 'queries'} failed while prerendering (${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}): the pages would show an error instead of figures; Evidence's messages are in the build's output above`));
      } else if (code === 0) {
        log.info(`${name} finished`, { command: args[0], duration_ms: ms });
        resolve(ms);
      } else if (/heap out of memory/i.test(tail)) {
        reject(new HeapLimitError(`${name} ${args.join(' ')} ran out of its V8 heap (exit ${code ?? signal}); give it more with NODE_OPTIONS=--max-old-space-size=<MB>`));
      } else reject(new Error(`${name} ${args.join(' ')} failed (exit ${code ?? signal})`));
    });
  });
}

export interface BuildTimings {
  sourcesMs: number;
  buildMs: number;
  /** `full`: `evidence build:strict`; `data-only`: the new data prerendered against the kept bundles */
  kind: 'full' | 'data-only';
  /** the source queries `evidence sources` ran: every one (`all`), or only those whose result changed (maybe none) */
  sources: 'all' | 'reused' | string[];
  /** of buildMs: the steps after the build (language, data date, preloads, brotli/gzip) */
  finishMs: number;
}

/**
 * `evidence sources` (marts → parquet), then the site in ./build: when nothing that reaches the bundles changed since
 * the last successful full build and its bundles are intact (pipelines/site-bundles.ts), only the pages are
 * prerendered from the new data against those bundles (pipelines/site-prerender.ts); otherwise, or when that fails,
 * `evidence build:strict`. The log says which and why.
 */
export async function buildSite(opts: {
  warehousePath: string;
  log: Logger;
  timeoutMs?: number;
  /** The organisation's frame (config `site:`); the demo's by default. */
  frame?: SiteFrame;
  /**
   * Skip `evidence sources` and build from the parquet files the previous build of the same warehouse left (the
   * tests' Swedish build after the Finnish one: the data are the same, only the language's words are put in).
   */
  reuseSources?: boolean;
  /** Always `evidence build:strict` (benchmarks of the build itself) */
  fullBuild?: boolean;
}): Promise<BuildTimings> {
  if (!existsSync(opts.warehousePath)) {
    throw new Error(`The warehouse ${opts.warehousePath} does not exist: run \`npm run pipeline -- run all\` first`);
  }
  ensurePagesLink();
  const frame = opts.frame ?? DEFAULT_FRAME;
  const env = evidenceEnv(opts.warehousePath, process.env, frame);
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const evidence = (args: string[]) => runBuildProcess(EVIDENCE_BIN, args, env, opts.log, timeoutMs);
  const dataDir = join(projectRoot, SOURCE_DATA_DIR);
  let sources: BuildTimings['sources'] = 'reused';
  let sourcesMs = 0;
  let sourcesRun: { fingerprint: string; checksums: Record<string, string> } | undefined;
  if (!opts.reuseSources) {
    // only the queries whose result changed since the last recorded run, when that can be known (site-sources.ts)
    const started = Date.now();
    let plan: SourcesPlan;
    try {
      sourcesRun = { fingerprint: sourcesFingerprint(env), checksums: await queryChecksums(opts.warehousePath, SOURCE_DIR) };
      plan = opts.fullBuild ? { all: true, reason: 'a full build was asked for' } : planSources({ ...sourcesRun, dataDir, recordFile: SOURCES_RECORD });
    } catch (e) {
      // a query that fails on this warehouse: Evidence runs them all and reports it as before; nothing is recorded
      plan = { all: true, reason: (e as Error).message };
      sourcesRun = undefined;
    }
    opts.log.info('evidence sources', {
      warehouse: opts.warehousePath,
      ...(plan.all ? { queries: 'all', reason: plan.reason } : { queries: plan.changed.length ? plan.changed.join(',') : 'none changed' }),
      checksums_ms: Date.now() - started,
    });
    forgetSources(SOURCES_RECORD);
    if (plan.all) {
      sources = 'all';
      await evidence(['sources']);
    } else {
      sources = plan.changed;
      removeQueryOutput(dataDir, plan.changed);
      if (plan.changed.length) await evidence(['sources', '--queries', plan.changed.map((q) => `${SOURCE_NAME}.${q}`).join(',')]);
    }
    sourcesMs = Date.now() - started; // the checksums included
  }
  const emptied = await writeEmptySources(dataDir);
  if (emptied.length) opts.log.info('empty source queries written as empty parquet files', { files: emptied.length });
  // sv / en: the marts' words in the site language (`<x>_fi` ← `<x>_sv` / `<x>_en`), before the pages are rendered
  const localised = await localiseSourceData(dataDir, frame.language, Array.isArray(sources) ? sources.map((q) => join(dataDir, SOURCE_NAME, q)) : undefined);
  if (localised) opts.log.info('source data in the site language', { language: frame.language, files: localised });
  if (sourcesRun) recordSources({ ...sourcesRun, dataDir, recordFile: SOURCES_RECORD });
  const expected = countPages(BUILD_DIR);
  // nothing of a previous build stays in ./build (Evidence copies its output over what is there)
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const fingerprint = bundleFingerprint(env);
  const kept = opts.fullBuild ? { reuse: false as const, reason: 'a full build was asked for' } : keptBundles(fingerprint);
  let kind: BuildTimings['kind'] = 'full';
  let buildMs = 0;
  if (kept.reuse) {
    opts.log.info('site build: data-only, prerendering the new data against the kept bundles');
    const stopProgress = watchBuildProgress({ expected, log: opts.log });
    try {
      buildMs = await prerenderKeptBundles({
        env,
        buildDir: BUILD_DIR,
        run: (bin, args, runEnv, cwd) => runBuildProcess(bin, args, runEnv, opts.log, timeoutMs, cwd),
      });
      kind = 'data-only';
    } catch (e) {
      opts.log.warn('site build: the data-only prerender failed; a full build follows', { error: (e as Error).message });
      rmSync(BUILD_DIR, { recursive: true, force: true });
    } finally {
      stopProgress();
    }
  } else opts.log.info('site build: full', { reason: kept.reason });
  if (kind === 'full') {
    forgetBundles();
    opts.log.info('evidence build:strict');
    // build:strict fails on any query or component error instead of shipping a page with an error box.
    const stopProgress = watchBuildProgress({ expected, log: opts.log });
    buildMs += await evidence(['build:strict', '--config', VITE_BUILD_CONFIG]).finally(stopProgress);
    recordBundles(fingerprint);
  }
  const started = Date.now();
  setHtmlLanguage(BUILD_DIR, frame.language, dataAsOf(opts.warehousePath));
  const preloaded = preloadPrerenderedQueries(BUILD_DIR);
  const c = await precompressSite(BUILD_DIR, undefined, COMPRESSED_CACHE);
  opts.log.info('site precompressed', {
    files: c.files,
    mb: Math.round(c.bytes / 1e5) / 10,
    gzip_mb: Math.round(c.gzipBytes / 1e5) / 10,
    brotli_mb: Math.round(c.brotliBytes / 1e5) / 10,
    pages_preloading_query_results: preloaded,
    duration_ms: Date.now() - started,
  });
  const finishMs = Date.now() - started;
  return { sourcesMs, buildMs: buildMs + finishMs, kind, sources, finishMs };
}

export interface RunningSite {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves a built site (static files only, precompressed brotli/gzip when the browser accepts it; content-hashed
 * assets cached for a year, the rest revalidated by etag) on host:port. Port 0 picks a free port. When `dir` is a symlink (the
 * published `site/current`), each request follows it, so a switched site is served without a restart.
 * With a `gate` (sign-in, pipelines/auth/access-gate.ts) every request passes it first.
 */
export function serveSite(dir: string, host: string, port: number, gate?: AccessGate): Promise<RunningSite> {
  if (!existsSync(join(dir, 'index.html'))) {
    return Promise.reject(new Error(`No built site in ${dir}: run \`npm run pipeline -- build-site\` first`));
  }
  const follow = isSymlink(dir);
  let target = follow ? realpathSync(dir) : dir;
  const staticFiles = (root: string) =>
    sirv(root, {
      extensions: ['html'],
      dev: false,
      etag: true,
      brotli: true, // the .br/.gz files written at build time (site-compression.ts)
      gzip: true,
      setHeaders: (res, pathname) => res.setHeader('cache-control', cacheControlFor(pathname, !!gate)),
    });
  let handler = staticFiles(target);
  // Board-pack PDFs are copied into the site after its build (pipelines/ops/board-pack.ts): looked up per request.
  const latePdfs = (root: string) => sirv(root, { dev: true, etag: true, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') });
  let pdfs = latePdfs(target);
  const server = createServer((req, res) => {
    if (follow) {
      try {
        const now = realpathSync(dir);
        if (now !== target) {
          target = now;
          handler = staticFiles(target);
          pdfs = latePdfs(target);
        }
      } catch {
        // Mid-switch: keep serving the previous build.
      }
    }
    const serveStatic = handler;
    const servePdfs = pdfs;
    const notFound = () => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('Sivua ei löytynyt (404)');
    };
    const orPdf = () => (req.url?.startsWith('/board-packs/') ? servePdfs(req, res, notFound) : notFound());
    if (!gate) return serveStatic(req, res, orPdf);
    gate.handle(req, res, target).then(
      (answered) => answered || serveStatic(req, res, orPdf),
      () => {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Palvelinvirhe (500)');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://${host}:${actualPort}/`,
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Builds a site from a warehouse file into `outDir` (the real one runs Evidence; tests pass a fake). */
export type SiteBuilder = (opts: { warehousePath: string; outDir: string; log: Logger; frame?: SiteFrame }) => Promise<void>;

/** Evidence build (into ./build, where the CLI always puts it), then moved to outDir. */
export const evidenceSiteBuilder: SiteBuilder = async ({ warehousePath, outDir, log, frame }) => {
  await buildSite({ warehousePath, log, frame });
  try {
    renameSync(BUILD_DIR, outDir);
  } catch {
    cpSync(BUILD_DIR, outDir, { recursive: true }); // another file system
  }
};

/** The published site: `<siteDir>/current`, a symlink switched atomically to the newest good build. */
export const currentSiteLink = (siteDir: string): string => join(siteDir, 'current');

/** What `serve` serves: the published site when there is one, else ./build (a plain `build-site`). */
export function servedSiteDir(siteDir: string): string {
  const current = currentSiteLink(siteDir);
  return existsSync(join(current, 'index.html')) ? current : BUILD_DIR;
}

/**
 * Builds the site from the published warehouse into `<siteDir>/<name>/` and, only when the build succeeded and
 * has an index.html, switches `<siteDir>/current` to it (a new symlink renamed over the old). Keeps `keep` builds.
 */
export async function publishSite(opts: {
  warehousePath: string;
  siteDir: string;
  name: string;
  keep: number;
  log: Logger;
  builder?: SiteBuilder;
  frame?: SiteFrame;
}): Promise<string> {
  mkdirSync(opts.siteDir, { recursive: true });
  const outDir = join(opts.siteDir, opts.name);
  rmSync(outDir, { recursive: true, force: true });
  try {
    await (opts.builder ?? evidenceSiteBuilder)({ warehousePath: opts.warehousePath, outDir, log: opts.log, frame: opts.frame });
    if (!existsSync(join(outDir, 'index.html'))) throw new Error(`the build left no index.html in ${outDir}`);
  } catch (e) {
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  const link = currentSiteLink(opts.siteDir);
  const tmp = `${link}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(opts.name, tmp, 'dir');
  renameSync(tmp, link);
  const builds = readdirSync(opts.siteDir)
    .filter((e) => e !== 'current' && !e.startsWith('current.') && e !== opts.name)
    .sort();
  for (const old of builds.slice(0, Math.max(0, builds.length - (opts.keep - 1)))) {
    rmSync(join(opts.siteDir, old), { recursive: true, force: true });
  }
  opts.log.info('site published', { dir: outDir });
  return outDir;
}
