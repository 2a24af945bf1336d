/**
 * Ingest benchmark (not a test): `npx tsx bench/ingest.ts` (or through `npm run bench`).
 *
 * Generates an event-level service-use extract of 10 000 000 rows (env INGEST_BENCH_ROWS overrides), then measures,
 * each in its own child process with the same DuckDB settings (config service_use.duckdb):
 *   (a) DuckDB's own `create table ... as select * from read_csv(file)` into a fresh database file;
 *   (b) the full pipeline import: `import service-use <file>` (hash and encoding pass, bulk read, validation,
 *       rejects, staging, load registry, cube, small-number protection and the service-use marts) into a
 *       warehouse that has the region model, population and one small demo service-use extract loaded.
 * Prints rows/s of both and `BENCH ingest_ratio <b/a>` and `BENCH ingest_peak_rss_mb <n>` (peak RSS of (b), from
 * the child's own process.resourceUsage().maxRSS). Big files are written under the OS temp folder and removed.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig, type ResolvedConfig } from '../pipelines/settings/pipeline.js';
import { selectJobs } from '../pipelines/jobs/index.js';
import { serviceUseImportJob } from '../pipelines/jobs/service-use.js';
import { createLogger } from '../pipelines/log.js';
import { projectRoot } from '../pipelines/paths.js';
import { runJobs } from '../pipelines/runner.js';
import { writeEventExtract } from '../pipelines/demo/service-use-extracts.js';
import { withWarehouse } from '../pipelines/warehouse.js';

const THIS_FILE = fileURLToPath(import.meta.url);

interface ChildReport {
  ms: number;
  rows: number;
  maxRssMb: number;
}

/** Runs this file in a child process in the given mode; returns its report and the wall time seen from here. */
async function child(mode: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildReport & { wallMs: number; phases: string[] }> {
  const started = Date.now();
  const proc = spawn(process.execPath, ['--import', 'tsx', THIS_FILE, mode, ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
  const wallMs = Date.now() - started;
  const line = out.split('\n').find((l) => l.startsWith('{'));
  if (code !== 0 || !line) throw new Error(`${mode} failed (exit ${code}):\n${err.slice(-2000)}`);
  // The job's own timings (the log lines with `_ms` fields: import, cube, disclosure step, marts) say where the time went.
  const phases = err.split('\n').filter((l) => /\b\w+_ms=/.test(l)).map((l) => l.replace(/^\S+ info /, ''));
  return { ...(JSON.parse(line) as ChildReport), wallMs, phases };
}

/** (a): DuckDB alone, reading the CSV into a table of a fresh database file. */
async function childReadCsv(db: string, csv: string): Promise<void> {
  const { memoryLimit, threads } = loadConfig().serviceUse.duckdb;
  const instance = await DuckDBInstance.create(db, { memory_limit: memoryLimit, threads: String(threads) });
  const conn = await instance.connect();
  const started = Date.now();
  await conn.run('create table events as select * from read_csv($csv)', { csv });
  const rows = Number((await conn.runAndReadAll('select count(*) from events')).getRows()[0]?.[0] ?? 0);
  const ms = Date.now() - started;
  conn.closeSync();
  instance.closeSync();
  process.stdout.write(`${JSON.stringify({ ms, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

/** (b): the pipeline import, exactly as `npm run pipeline -- import service-use <csv>` runs it. */
async function childImport(csv: string): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const [summary] = await runJobs([serviceUseImportJob([csv])], { config, log: createLogger() });
  if (summary?.outcome !== 'success') throw new Error(`import failed: ${summary?.message}`);
  const ms = Date.now() - started;
  // The marts must have been built in the same job (they are part of what is measured).
  const cells = await withWarehouse(config.warehousePath, async (conn) =>
    Number((await conn.runAndReadAll('select count(*) from marts.service_use_summary')).getRows()[0]?.[0] ?? 0),
  );
  if (cells === 0) throw new Error('the import did not build the service-use marts');
  process.stdout.write(`${JSON.stringify({ ms, rows: summary.rowsLoaded ?? 0, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

export interface IngestBenchResult {
  rows: number;
  readCsvMs: number;
  importMs: number;
  ratio: number;
  peakRssMb: number;
}

/**
 * Runs the benchmark in `dir` (a temporary folder by default, removed afterwards) and prints its lines.
 * Signature as bench/refresh.ts: (dir, config, print).
 */
export async function runIngestBench(
  dir?: string,
  config: ResolvedConfig = loadConfig(),
  print: (line: string) => void = (line) => console.log(line),
  rows = Number(process.env.INGEST_BENCH_ROWS ?? 10_000_000),
): Promise<IngestBenchResult> {
  const own = dir === undefined;
  const work = dir ?? mkdtempSync(join(tmpdir(), 'tj-bench-ingest-'));
  try {
    const csv = join(work, 'events.csv');
    let t = Date.now();
    await writeEventExtract(csv, rows, 4242);
    print(`generated ${rows} event rows (${(statSync(csv).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // The warehouse (b) imports into: `run all` up to the marts with one small demo extract (Kainuu 2019) in the
    // drop folder: the marts' contracts need some service use (marts.foresight_settings.base_year), so a warehouse
    // without any fails the marts job. The 10 M-row file is another source; its import rebuilds the marts over both.
    const base = join(work, 'base.duckdb');
    const drop = join(work, 'drop');
    mkdirSync(drop, { recursive: true });
    copyFileSync(join(projectRoot, 'data/demo/service-use/kainuu_2019.csv'), join(drop, 'kainuu_2019.csv'));
    t = Date.now();
    // The jobs of `run all` up to and including the marts (region model, population, marts).
    const all = selectJobs('all');
    const prep = await runJobs(all.slice(0, all.findIndex((j) => j.name === 'marts') + 1), {
      config: { ...config, warehousePath: base, serviceUse: { ...config.serviceUse, dropDir: drop } },
      log: createLogger(() => undefined),
    });
    const failed = prep.find((s) => s.outcome !== 'success');
    if (failed) throw new Error(`preparing the warehouse failed: ${failed.job}: ${failed.message}`);
    print(`prepared the warehouse (run all, one demo service-use extract) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const a = await child('--child-read-csv', [join(work, 'read_csv.duckdb'), csv], {});
    rmSync(join(work, 'read_csv.duckdb'), { force: true });
    const warehouse = join(work, 'warehouse.duckdb');
    copyFileSync(base, warehouse);
    const b = await child('--child-import', [csv], { WAREHOUSE_PATH: warehouse });
    if (a.rows !== rows || b.rows !== rows) throw new Error(`row counts differ: read_csv ${a.rows}, import ${b.rows}, generated ${rows}`);

    const perS = (ms: number) => Math.round(rows / (ms / 1000));
    const ratio = b.wallMs / a.wallMs;
    print(`(a) duckdb read_csv into a table: ${(a.wallMs / 1000).toFixed(1)} s wall (${(a.ms / 1000).toFixed(1)} s in DuckDB), ${perS(a.wallMs)} rows/s, peak RSS ${a.maxRssMb.toFixed(0)} MB`);
    print(`(b) pipeline import + validation + marts: ${(b.wallMs / 1000).toFixed(1)} s wall (${(b.ms / 1000).toFixed(1)} s in the job), ${perS(b.wallMs)} rows/s, peak RSS ${b.maxRssMb.toFixed(0)} MB`);
    for (const phase of b.phases) print(`  ${phase}`);
    print(`BENCH ingest_rows ${rows}`);
    print(`BENCH ingest_read_csv_rows_per_s ${perS(a.wallMs)}`);
    print(`BENCH ingest_pipeline_rows_per_s ${perS(b.wallMs)}`);
    print(`BENCH ingest_ratio ${ratio.toFixed(3)}`);
    print(`BENCH ingest_peak_rss_mb ${Math.round(b.maxRssMb)}`);
    return { rows, readCsvMs: a.wallMs, importMs: b.wallMs, ratio, peakRssMb: b.maxRssMb };
  } finally {
    // Never leave the multi-hundred-megabyte files behind.
    rmSync(join(work, 'events.csv'), { force: true });
    for (const f of ['base.duckdb', 'warehouse.duckdb', 'read_csv.duckdb']) rmSync(join(work, f), { force: true });
    if (own) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [mode, x, y] = process.argv.slice(2);
  if (mode === '--child-read-csv' && x && y) await childReadCsv(x, y);
  else if (mode === '--child-import' && x) await childImport(x);
  else await runIngestBench();
}
