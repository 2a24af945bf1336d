/**
 * Atomic publish (docs/operations.md): the pipelines write the working warehouse; a publish copies its `marts`
 * schema, and nothing else (no raw, staging or ops: they hold unprotected cells and rejected raw values), into a new
 * `published/<timestamp>.duckdb` beside it, runs the data checks on that copy, and only when they pass switches
 * `published/current.json` (written to a temporary file and renamed over: readers see the old or the new
 * pointer, never half of one). Evidence builds read the published copy, never the working file.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { attackPublished, type PublishedLeak } from '../disclosure/published.js';
import { runSqlFile, sqlString, withDuckDB, withWarehouse } from '../warehouse.js';
import type { ResolvedOps } from '../settings/ops.js';

export interface OpsPaths {
  publishedDir: string;
  pointer: string;
  siteDir: string;
  runDir: string;
  heartbeat: string;
}

/** Where publish, site builds and the scheduler's heartbeat live: beside the working warehouse. */
export function opsPaths(warehousePath: string): OpsPaths {
  const dir = dirname(warehousePath);
  return {
    publishedDir: join(dir, 'published'),
    pointer: join(dir, 'published', 'current.json'),
    siteDir: join(dir, 'site'),
    runDir: join(dir, 'run'),
    heartbeat: join(dir, 'run', 'scheduler-heartbeat.json'),
  };
}

export interface PublishedPointer {
  /** File name in the published folder. */
  file: string;
  published_at: string;
  batch_id: string;
  /** Row counts of every marts table and view at publish time (the next publish's checks compare with these). */
  tables: Record<string, number>;
  /** When marts.data_status_runs in the file was last brought up to date (syncStatusMarts). */
  ops_synced_at?: string;
}

export function readPointer(warehousePath: string): PublishedPointer | null {
  const { pointer } = opsPaths(warehousePath);
  try {
    return JSON.parse(readFileSync(pointer, 'utf8')) as PublishedPointer;
  } catch {
    return null;
  }
}

/** The published warehouse file Evidence should read, or null when nothing has been published yet. */
export function publishedWarehouse(warehousePath: string): string | null {
  const p = readPointer(warehousePath);
  if (!p) return null;
  const file = join(opsPaths(warehousePath).publishedDir, p.file);
  return existsSync(file) ? file : null;
}

/** Writes a file so that readers see the old content or the new, never a mixture. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export const timestampName = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('.', '');

export interface CheckReport {
  passed: string[];
  failed: string[];
  counts: Record<string, number>;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string): string => table.split('.').map(quoteIdent).join('.');

/**
 * Marts whose slices are checked one by one against the published state: a whole table barely shrinks when one
 * Sotkanet indicator (an empty answer) or one of its years disappears, so every slice that had rows must keep
 * them too (within max_row_drop).
 */
export const SLICED_SHRINK_CHECKS: Record<string, readonly string[]> = {
  'marts.sotkanet_values': ['indicator_id', 'year'],
};

/**
 * The data checks on a candidate warehouse: every configured minimum row count, unique keys, and no mart (and no
 * slice of SLICED_SHRINK_CHECKS) that had rows in the published state (`previousFile`) suddenly empty or shrunk by
 * more than max_row_drop.
 */
export async function runChecks(
  file: string,
  checks: ResolvedOps['publish']['checks'],
  previous: PublishedPointer | null,
  previousFile: string | null = null,
): Promise<CheckReport> {
  return withDuckDB(file, async (conn) => {
    const report: CheckReport = { passed: [], failed: [], counts: {} };
    const count = async (sql: string): Promise<number> =>
      Number((((await conn.runAndReadAll(sql)).getRowObjectsJS()[0] ?? {}) as { n?: bigint | number }).n ?? 0);
    const tables = (await conn.runAndReadAll(
      `select table_schema || '.' || table_name as name from information_schema.tables
       where table_schema = 'marts' and table_catalog = current_database() order by 1`,
    )).getRowObjectsJS() as { name: string }[];
    for (const { name } of tables) report.counts[name] = await count(`select count(*) as n from ${qualified(name)}`);

    for (const [table, before] of Object.entries(previous?.tables ?? {})) {
      if (before <= 0) continue;
      const now = report.counts[table];
      if (now === undefined) report.failed.push(`${table} is missing (the published state had ${before} rows)`);
      else if (now === 0) report.failed.push(`${table} is empty (the published state had ${before} rows)`);
      else if (now < before * (1 - checks.maxRowDrop)) {
        report.failed.push(`${table} shrank from ${before} to ${now} rows (more than ${Math.round(checks.maxRowDrop * 100)} %)`);
      } else report.passed.push(`${table} rows ${now} (published ${before})`);
    }
    if (previousFile && existsSync(previousFile)) {
      await conn.run(`attach ${sqlString(previousFile)} as published (read_only)`);
      for (const [table, keys] of Object.entries(SLICED_SHRINK_CHECKS)) {
        if (!previous?.tables[table] || report.counts[table] === undefined) continue;
        const cols = keys.map(quoteIdent).join(', ');
        const shrunk = (await conn.runAndReadAll(
          `with before as (select ${cols}, count(*) as n from published.${qualified(table)} group by all),
                after as (select ${cols}, count(*) as n from ${qualified(table)} group by all)
           select ${keys.map((k) => `cast(b.${quoteIdent(k)} as varchar) as ${quoteIdent(k)}`).join(', ')}, b.n as before, coalesce(a.n, 0) as after
           from before b left join after a using (${cols})
           where coalesce(a.n, 0) < b.n * (1 - $drop)
           order by all limit 20`,
          { drop: checks.maxRowDrop },
        )).getRowObjectsJS() as Record<string, unknown>[];
        for (const r of shrunk) {
          const slice = keys.map((k) => `${k} ${String(r[k])}`).join(', ');
          report.failed.push(`${table} ${slice} ${Number(r.after) === 0 ? 'is gone' : 'shrank'}: ${Number(r.before)} → ${Number(r.after)} rows`);
        }
        if (!shrunk.length) report.passed.push(`${table} no ${keys.join(' × ')} slice shrank`);
      }
      await conn.run('detach published');
    }
    for (const [table, min] of Object.entries(checks.minRows)) {
      const now = report.counts[table];
      if (now === undefined) report.failed.push(`${table} is missing (min_rows ${min})`);
      else if (now < min) report.failed.push(`${table} has ${now} rows, fewer than min_rows ${min}`);
      else report.passed.push(`${table} rows ${now} ≥ ${min}`);
    }
    for (const [table, keys] of Object.entries(checks.uniqueKeys)) {
      if (report.counts[table] === undefined) {
        report.failed.push(`${table} is missing (unique key ${keys.join(', ')})`);
        continue;
      }
      const cols = keys.map(quoteIdent).join(', ');
      const dups = await count(
        `select count(*) as n from (select ${cols} from ${qualified(table)} group by ${cols} having count(*) > 1)`,
      );
      if (dups > 0) report.failed.push(`${table} has ${dups} duplicate key(s) (${keys.join(', ')})`);
      else report.passed.push(`${table} unique (${keys.join(', ')})`);
    }
    // The attacker (docs/disclosure.md): no withheld cell may be recoverable from the published cells.
    const found = await attackPublished(conn);
    const leaks = found.filter((l) => l.enforced);
    if (leaks.length) report.failed.push(disclosureFailure(leaks));
    else report.passed.push('disclosure: no withheld cell is recoverable, no withheld count within ±0.5 nor amount within ±1 %');
    return report;
  }, { access_mode: 'READ_ONLY' });
}

/** The data status mart that follows every refresh (the run history), also after a failed one. */
const SYNCED_STATUS_MART = 'data_status_runs';

/** The only schema a published file holds. */
export const PUBLISHED_SCHEMA = 'marts';

/**
 * Makes each named mart of the attached working warehouse (`working`) a table of the connection's own database,
 * replacing what is there. A view may call the working warehouse's SQL macros (word(), pipelines/sql/macros/), which
 * live in its main schema, so they are on the search path while the views are read.
 */
async function materialiseMarts(conn: DuckDBConnection, names: readonly string[]): Promise<void> {
  await conn.run(`set search_path = 'main,working.main'`);
  try {
    for (const name of names) {
      const t = `${PUBLISHED_SCHEMA}.${quoteIdent(name)}`;
      await conn.run(`create or replace table ${t} as select * from working.${t}`);
    }
  } finally {
    await conn.run(`set search_path = 'main'`);
  }
}

/**
 * Writes a new DuckDB file `target` holding only the `marts` schema of `source`: every table, and every view
 * materialised as a table (a view may read staging, which is not published). Nothing else of the source is copied.
 */
export async function copyMarts(source: string, target: string): Promise<string[]> {
  rmSync(target, { force: true });
  rmSync(`${target}.wal`, { force: true });
  return withDuckDB(target, async (conn) => {
    await conn.run(`attach ${sqlString(source)} as working (read_only)`);
    const names = (await conn.runAndReadAll(
      `select table_name as name from information_schema.tables
       where table_catalog = 'working' and table_schema = '${PUBLISHED_SCHEMA}' order by 1`,
    )).getRowObjectsJS() as { name: string }[];
    await conn.run(`create schema ${PUBLISHED_SCHEMA}`);
    await materialiseMarts(conn, names.map((n) => n.name));
    await conn.run('detach working');
    await conn.run('checkpoint');
    return names.map((n) => `${PUBLISHED_SCHEMA}.${n.name}`);
  });
}

/** The failed check of a leak: how many cells per mart, and the key (codes and periods, never values) of the first. */
export function disclosureFailure(leaks: PublishedLeak[]): string {
  const marts = [...new Set(leaks.map((l) => l.mart))];
  const counts = marts.map((m) => `marts.${m} ${leaks.filter((l) => l.mart === m).length}`).join(', ');
  const first = Object.entries(leaks[0]!.key).map(([k, v]) => `${k}=${v}`).join(' ');
  return `disclosure: withheld cells are recoverable from published cells (${counts}; e.g. marts.${leaks[0]!.mart} ${first})`;
}

export type PublishResult =
  | { outcome: 'published'; file: string; pointer: PublishedPointer; checks: CheckReport }
  | { outcome: 'rejected'; checks: CheckReport; message: string };

/**
 * Copies the marts of the working warehouse (closed and checkpointed by the runner, and locked by the caller),
 * checks the copy, and switches the pointer to it when every check passed. A rejected copy is deleted; the pointer
 * stays.
 */
export async function publishWarehouse(opts: {
  warehousePath: string;
  batchId: string;
  ops: ResolvedOps;
  now?: Date;
}): Promise<PublishResult> {
  const paths = opsPaths(opts.warehousePath);
  mkdirSync(paths.publishedDir, { recursive: true });
  const name = `${timestampName(opts.now ?? new Date())}.duckdb`;
  const candidate = join(paths.publishedDir, `${name}.candidate`);
  const previous = readPointer(opts.warehousePath);
  let checks: CheckReport;
  try {
    await copyMarts(opts.warehousePath, candidate);
    checks = await runChecks(candidate, opts.ops.publish.checks, previous, previous ? join(paths.publishedDir, previous.file) : null);
  } catch (e) {
    rmSync(candidate, { force: true });
    throw new Error(`data checks could not run: ${(e as Error).message}`);
  }
  if (checks.failed.length) {
    rmSync(candidate, { force: true });
    return { outcome: 'rejected', checks, message: `data checks failed: ${checks.failed.join('; ')}` };
  }
  const file = join(paths.publishedDir, name);
  renameSync(candidate, file);
  const pointer: PublishedPointer = {
    file: name,
    published_at: (opts.now ?? new Date()).toISOString(),
    batch_id: opts.batchId,
    tables: checks.counts,
  };
  writeAtomic(paths.pointer, `${JSON.stringify(pointer, null, 2)}\n`);
  prunePublished(paths.publishedDir, name, opts.ops.publish.keep);
  return { outcome: 'published', file, pointer, checks };
}

/** Keeps the newest `keep` published copies (the current one always), and removes leftover candidates. */
export function prunePublished(dir: string, current: string, keep: number): void {
  const entries = readdirSync(dir);
  for (const e of entries) if (e.endsWith('.candidate') || e.endsWith('.wal')) {
    if (!e.startsWith(current)) rmSync(join(dir, e), { force: true });
  }
  const copies = entries.filter((e) => /^\d{8}T\d+Z\.duckdb$/.test(e)).sort();
  const old = copies.slice(0, Math.max(0, copies.length - keep)).filter((e) => e !== current);
  for (const e of old) rmSync(join(dir, e), { force: true });
}

/**
 * Brings the run history in the published state up to date without touching its other marts: the working
 * warehouse's marts.data_status_runs is rebuilt from its ops.runs (rejected input rows and sources follow the next
 * good publish), a new copy of the current published file gets it, and the pointer switches to it. So the data status
 * page can show a failed refresh while the dashboards keep the last good data.
 */
export async function syncStatusMarts(opts: { warehousePath: string; ops: ResolvedOps; now?: Date }): Promise<string | null> {
  const pointer = readPointer(opts.warehousePath);
  const current = publishedWarehouse(opts.warehousePath);
  if (!pointer || !current) return null;
  const paths = opsPaths(opts.warehousePath);
  const now = opts.now ?? new Date();
  const name = `${timestampName(now)}.duckdb`;
  if (name === pointer.file) return null;
  await withWarehouse(opts.warehousePath, (conn) => runSqlFile(conn, `marts/${SYNCED_STATUS_MART}.sql`));
  const candidate = join(paths.publishedDir, `${name}.candidate`);
  copyFileSync(current, candidate);
  try {
    await withDuckDB(candidate, async (conn) => {
      await conn.run(`attach ${sqlString(opts.warehousePath)} as working (read_only)`);
      await materialiseMarts(conn, [SYNCED_STATUS_MART]);
      await conn.run('detach working');
      await conn.run('checkpoint');
    });
  } catch (e) {
    rmSync(candidate, { force: true });
    throw e;
  }
  const file = join(paths.publishedDir, name);
  renameSync(candidate, file);
  writeAtomic(paths.pointer, `${JSON.stringify({ ...pointer, file: name, ops_synced_at: now.toISOString() }, null, 2)}\n`);
  prunePublished(paths.publishedDir, name, opts.ops.publish.keep);
  return file;
}
