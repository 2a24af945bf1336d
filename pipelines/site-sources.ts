/**
 * `evidence sources` for what changed (issue 20, docs/operations.md "A data-only refresh"). Each source query's
 * result has a content checksum (its columns and types, its row count and the sum of its rows' hashes, computed by
 * DuckDB on the warehouse, order-independent). The checksums, with the hash of every file the query's output left in
 * static/data and of the manifest, are recorded after a successful sources run. The next run compares: the queries
 * whose checksum changed (or that are new) run again through Evidence's `--queries`, the others keep their parquet
 * files and manifest entries byte for byte. Anything unclear means every query runs: no record, a change in the
 * source folder (a query's SQL, the connection), the installed packages, the site language or the data post-processing,
 * a kept file or the manifest not being what the record says.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { bundleFingerprint, readBuildRecord, sha256 } from './site-bundles.js';
import { projectRoot } from './paths.js';
import { queryRows, withDuckDB } from './warehouse.js';

/** The one Evidence source the site reads (sources/warehouse/) */
export const SOURCE_NAME = 'warehouse';

/**
 * What decides a source query's output besides its result: the source folder (SQL and connection), the installed
 * packages (Evidence's connector and parquet writer), Evidence's configuration and our post-processing of its files.
 * The site language comes with the environment's VITE_TJ_LANGUAGE.
 */
export const SOURCE_INPUTS = [
  'sources',
  'evidence.config.yaml',
  'node_modules/.package-lock.json',
  'pipelines/site-empty-sources.ts',
  'pipelines/site-data-language.ts',
];

const SourcesRecord = z.object({
  fingerprint: z.string(),
  /** content checksum of each query's result, by query name */
  checksums: z.record(z.string()),
  /** sha256 of each file under the data folder's source folder, by path relative to the data folder */
  files: z.record(z.string()),
  /** sha256 of manifest.json as the run left it */
  manifest: z.string(),
});
type SourcesRecord = z.infer<typeof SourcesRecord>;

/** The source's query names (the .sql files of its folder, as Evidence names them). */
export function sourceQueries(sourceDir: string): string[] {
  return readdirSync(sourceDir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.split('.')[0]!)
    .sort();
}

/**
 * The content checksum of every query of `sourceDir` on the warehouse (read-only): sha256 of its SQL's result columns
 * and types, its row count and the sum of its rows' 64-bit hashes. A failing query fails here, naming its file.
 */
export async function queryChecksums(warehousePath: string, sourceDir: string): Promise<Record<string, string>> {
  return withDuckDB(
    warehousePath,
    async (conn) => {
      const out: Record<string, string> = {};
      for (const name of sourceQueries(sourceDir)) {
        const file = join(sourceDir, `${name}.sql`);
        const sql = readFileSync(file, 'utf8').trim().replace(/;\s*$/, '');
        try {
          const columns = await queryRows<{ column_name: string; column_type: string }>(conn, `describe (\n${sql}\n)`);
          const [row] = await queryRows<{ n: bigint; h: bigint | null }>(
            conn,
            `select count(*) as n, sum(hash(q)::hugeint) as h from (\n${sql}\n) as q`,
          );
          out[name] = createHash('sha256')
            .update(JSON.stringify([columns.map((c) => [c.column_name, c.column_type]), String(row?.n), String(row?.h)]))
            .digest('hex');
        } catch (e) {
          throw new Error(`${file}: the query failed on the warehouse (${(e as Error).message.split('\n')[0]})`);
        }
      }
      return out;
    },
    { access_mode: 'READ_ONLY' },
  );
}

/** The files a query's output has in the data folder (`<source>/<query>/…`), relative to the data folder. */
function queryFiles(dataDir: string, query: string): string[] {
  const dir = join(dataDir, SOURCE_NAME, query);
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .map((f) => join(SOURCE_NAME, query, f))
    .filter((f) => statSync(join(dataDir, f)).isFile())
    .sort();
}

export type SourcesPlan = { all: true; reason: string } | { all: false; changed: string[] };

/**
 * Which queries `evidence sources` must run: `{ all: true, reason }`, or the changed ones (maybe none) when the record
 * of the previous successful run holds and every file it kept is still the file it wrote.
 */
export function planSources(opts: {
  fingerprint: string;
  checksums: Record<string, string>;
  dataDir: string;
  recordFile: string;
}): SourcesPlan {
  const { recordFile, dataDir } = opts;
  const read = readBuildRecord(recordFile, SourcesRecord, 'no previous successful sources run is recorded', 'sources record');
  if ('reason' in read) return { all: true, reason: read.reason };
  const { record } = read;
  if (record.fingerprint !== opts.fingerprint) {
    return { all: true, reason: 'a source query, the connection, a package, the language or the data post-processing changed' };
  }
  const queries = Object.keys(opts.checksums).sort();
  if (JSON.stringify(queries) !== JSON.stringify(Object.keys(record.checksums).sort())) {
    return { all: true, reason: 'the source queries are not the ones recorded' };
  }
  const manifest = join(dataDir, 'manifest.json');
  if (!existsSync(manifest) || sha256(manifest) !== record.manifest) return { all: true, reason: 'the data manifest is not the one recorded' };
  const changed = queries.filter((q) => record.checksums[q] !== opts.checksums[q]);
  for (const q of queries.filter((q) => !changed.includes(q))) {
    const now = queryFiles(dataDir, q);
    const recorded = Object.keys(record.files).filter((f) => f.startsWith(`${SOURCE_NAME}/${q}/`)).sort();
    if (!now.length || JSON.stringify(now) !== JSON.stringify(recorded)) return { all: true, reason: `the kept files of ${q} are not the ones recorded` };
    for (const f of now) if (sha256(join(dataDir, f)) !== record.files[f]) return { all: true, reason: `${f} changed since it was written` };
  }
  return { all: false, changed };
}

/** After a successful sources run (and its post-processing): the fingerprint, checksums and the files as they are. */
export function recordSources(opts: { fingerprint: string; checksums: Record<string, string>; dataDir: string; recordFile: string }): void {
  const files = Object.fromEntries(
    Object.keys(opts.checksums).flatMap((q) => queryFiles(opts.dataDir, q).map((f) => [f, sha256(join(opts.dataDir, f))])),
  );
  const record: SourcesRecord = {
    fingerprint: opts.fingerprint,
    checksums: opts.checksums,
    files,
    manifest: sha256(join(opts.dataDir, 'manifest.json')),
  };
  writeFileSync(opts.recordFile, JSON.stringify(record));
}

/** Before a sources run: the record goes first, so a failed or interrupted run leaves none (the next one runs all). */
export function forgetSources(recordFile: string): void {
  rmSync(recordFile, { force: true });
}

/** The changed queries' previous output goes before they run again, so that no earlier file survives an empty result. */
export function removeQueryOutput(dataDir: string, queries: readonly string[]): void {
  for (const q of queries) rmSync(join(dataDir, SOURCE_NAME, q), { recursive: true, force: true });
}

/** The fingerprint of SOURCE_INPUTS and the compiled environment (the site language among it). */
export function sourcesFingerprint(env: NodeJS.ProcessEnv, root: string = projectRoot): string {
  return bundleFingerprint(env, root, SOURCE_INPUTS);
}
