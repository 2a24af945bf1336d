import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

/**
 * The bundles of the site (SvelteKit's server and client output of `evidence build`) and what decides them. A
 * data-only refresh (docs/operations.md, "A data-only refresh") prerenders the new data against the previous build's
 * bundles only when the fingerprint of everything that reaches them equals the one stored with that build and the
 * bundles are still the files that build wrote.
 */

/** The Evidence template folder (`evidence build` runs `vite build` in it) and SvelteKit's output inside it. */
export const TEMPLATE_DIR = join(projectRoot, '.evidence', 'template');
export const KIT_OUTPUT_DIR = join(TEMPLATE_DIR, '.svelte-kit', 'output');
/** The record stored with a successful full build: outside `output/` (SvelteKit empties that at every build). */
export const BUNDLE_RECORD = join(TEMPLATE_DIR, '.svelte-kit', 'tj-bundles.json');

/**
 * The SvelteKit version whose internals (`core/postbuild/prerender.js`, `analyse.js`, `core/adapt`) the data-only
 * refresh calls (pipelines/prerender-kept-bundles.js). Another installed version means a full build.
 */
export const KIT_VERSION = '2.8.4';

/** Project files and folders whose content reaches the bundles (pages, components, configuration, our Evidence module, patches). */
export const BUNDLE_INPUTS = [
  'reports',
  'components',
  'sources',
  'svelte.config.js',
  'evidence.config.yaml',
  'evidence-offline',
  'patches',
  // the variables Evidence's CLI loads from them (VITE_*, EVIDENCE_*)
  '.env',
  '.env.local',
  '.env.production',
  '.env.production.local',
  // every installed package's version (npm's record of node_modules), and the template Evidence copies
  'node_modules/.package-lock.json',
  'node_modules/@evidence-dev/evidence/template',
];

/**
 * Environment variables Vite or SvelteKit may compile into the bundles (import.meta.env VITE_*, $env PUBLIC_*), the
 * Evidence settings and NODE_ENV. Not EVIDENCE_SOURCE__*: the connection only decides where `evidence sources`
 * reads the data.
 */
export function compiledEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = (k: string) => /^(VITE_|PUBLIC_|EVIDENCE_)/.test(k) && !k.startsWith('EVIDENCE_SOURCE__');
  return Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => (keep(k) || k === 'NODE_ENV') && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)) as [string, string][],
  );
}

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return (readdirSync(full, { recursive: true, encoding: 'utf8' }) as string[])
    .map((f) => join(path, f))
    .filter((f) => statSync(join(root, f)).isFile())
    .sort();
}

/** sha256 of the build's inputs: each file's path and content under `root`, the SvelteKit version and the compiled env. */
export function bundleFingerprint(env: NodeJS.ProcessEnv, root: string = projectRoot, inputs: string[] = BUNDLE_INPUTS): string {
  const hash = createHash('sha256');
  hash.update(`kit ${installedKitVersion(root)}\n`);
  for (const [k, v] of Object.entries(compiledEnv(env))) hash.update(`env ${k}=${v}\n`);
  for (const input of inputs) {
    for (const file of filesUnder(root, input)) {
      hash.update(`file ${file}\n`);
      hash.update(readFileSync(join(root, file)));
    }
  }
  return hash.digest('hex');
}

export function installedKitVersion(root: string = projectRoot): string | undefined {
  const pkg = join(root, 'node_modules', '@sveltejs', 'kit', 'package.json');
  return existsSync(pkg) ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version : undefined;
}

const BundleRecord = z.object({
  fingerprint: z.string(),
  kitVersion: z.string(),
  /** sha256 of every file under output/server and output/client/_app, by path relative to the output folder */
  files: z.record(z.string()),
});
type BundleRecord = z.infer<typeof BundleRecord>;

/** The kept bundles: SvelteKit's server output and the client's app code (not the static files, which are data). */
function bundleFiles(outputDir: string): string[] {
  return [...filesUnder(outputDir, 'server'), ...filesUnder(outputDir, join('client', '_app'))].filter(
    // written again by every prerender: the server's manifests list the static files (the data's) and the routes
    // left to the server after prerendering
    (f) => f !== join('server', 'manifest.js') && f !== join('server', 'manifest-full.js'),
  );
}

/** sha256 of a file's bytes, hex (the build records' hash of a kept file). */
export const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** After a successful full build: the fingerprint it was built with and the hash of each bundle file. */
export function recordBundles(fingerprint: string, outputDir = KIT_OUTPUT_DIR, recordFile = BUNDLE_RECORD): void {
  const record: BundleRecord = {
    fingerprint,
    kitVersion: installedKitVersion() ?? 'none',
    files: Object.fromEntries(bundleFiles(outputDir).map((f) => [f, sha256(join(outputDir, f))])),
  };
  writeFileSync(recordFile, JSON.stringify(record));
}

/** Before a full build: its bundles replace the recorded ones, so the record goes first (a failed build leaves none). */
export function forgetBundles(recordFile = BUNDLE_RECORD): void {
  rmSync(recordFile, { force: true });
}

/** The record an earlier build left in `file`, parsed with `schema`, or why there is none to trust (`missing`: no file). */
export function readBuildRecord<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, missing: string, what: string): { record: T } | { reason: string } {
  if (!existsSync(file)) return { reason: missing };
  try {
    return { record: schema.parse(JSON.parse(readFileSync(file, 'utf8'))) };
  } catch {
    return { reason: `${file}: not a ${what}` };
  }
}

/**
 * Whether the kept bundles can be reused for `fingerprint`: `{ reuse: true }`, or why not (said in the build's log).
 */
export function keptBundles(
  fingerprint: string,
  opts: { outputDir?: string; recordFile?: string; kitVersion?: string | undefined } = {},
): { reuse: true } | { reuse: false; reason: string } {
  const outputDir = opts.outputDir ?? KIT_OUTPUT_DIR;
  const recordFile = opts.recordFile ?? BUNDLE_RECORD;
  const kitVersion = 'kitVersion' in opts ? opts.kitVersion : installedKitVersion();
  if (kitVersion !== KIT_VERSION) {
    return { reuse: false, reason: `SvelteKit ${kitVersion ?? 'missing'} is installed; the data-only refresh is written for ${KIT_VERSION}` };
  }
  const read = readBuildRecord(recordFile, BundleRecord, 'no previous successful full build is recorded', 'bundle record');
  if ('reason' in read) return { reuse: false, reason: read.reason };
  const { record } = read;
  if (record.kitVersion !== kitVersion) return { reuse: false, reason: `the bundles were built with SvelteKit ${record.kitVersion}` };
  if (record.fingerprint !== fingerprint) {
    return { reuse: false, reason: 'a page, component, setting or package that reaches the bundles changed' };
  }
  const now = bundleFiles(outputDir);
  const recorded = Object.keys(record.files);
  if (!recorded.length || now.length !== recorded.length) return { reuse: false, reason: 'the kept bundles are not the files the build wrote' };
  for (const f of recorded) {
    if (!existsSync(join(outputDir, f)) || sha256(join(outputDir, f)) !== record.files[f]) {
      return { reuse: false, reason: `the kept bundles changed since their build (${relative(outputDir, join(outputDir, f))})` };
    }
  }
  return { reuse: true };
}
