/**
 * Operations commands of `npm run pipeline -- <command>` (docs/operations.md): run (through the lock and the atomic
 * publish), status, history, rejects, scheduler. The job registry, site builder and config loader are injected,
 * so the fault suite drives these same commands in real processes with fake jobs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Command } from 'commander';
import type { ResolvedConfig } from '../settings/pipeline.js';
import { selectJobs } from '../jobs/index.js';
import type { Job } from '../jobs/job.js';
import { type ModelSelection, selectNodes } from '../models/build.js';
import { martGraph } from '../jobs/mart-graph.js';
import type { Logger } from '../log.js';
import type { SiteBuilder } from '../site.js';
import { currentSiteLink } from '../site.js';
import { sqlString } from '../warehouse.js';
import { defaultOps, jobOps } from '../settings/ops.js';
import { isAlive } from '../processes.js';
import { LockedError, lockPathFor, readLock } from './lock.js';
import { createProgress } from './progress.js';
import type { JobProgress } from '../runner.js';
import { opsPaths, publishedWarehouse, readPointer } from './publish.js';
import {
  applyConfiguredDependencies,
  EXIT,
  freshness,
  refresh,
  withDependents,
  type RefreshResult,
} from './refresh.js';
import { nextRun, startScheduler } from './scheduler.js';

export { EXIT };

/** An error carrying the exit code the command should end with. */
export class CommandExit extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'CommandExit';
  }
}

export interface OpsCli {
  jobs: readonly Job[];
  log: Logger;
  loadConfig: () => ResolvedConfig;
  siteBuilder?: SiteBuilder;
  out: (text: string) => void;
  progress?: (job: string) => JobProgress | undefined;
}

/**
 * The real wiring: the pipelines/jobs registry, Evidence, stdout, progress on a terminal. `config`: the process's
 * configuration, read and validated once (pipelines/cli.ts).
 */
export function defaultOpsCli(jobs: readonly Job[], config: () => ResolvedConfig, log?: Logger): OpsCli {
  const progress = createProgress();
  return {
    jobs,
    log: log ?? progress.log,
    loadConfig: config,
    out: (t) => process.stdout.write(t),
    progress: progress.forJob,
  };
}

/** Runs jobs through the lock, checks and publish; throws CommandExit unless everything succeeded. */
export async function refreshFromCli(
  cli: OpsCli,
  jobs: readonly Job[],
  cfg: ResolvedConfig,
  opts: { label: string; publish?: boolean; buildSite?: boolean; triggers?: Record<string, 'manual' | 'dependency'>; models?: ModelSelection },
): Promise<RefreshResult> {
  // The first SIGINT/SIGTERM stops the current step cleanly (exit 4, lock released); a second one kills.
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    cli.log.warn('stopping: aborting the current step (again to kill)', { signal });
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result: RefreshResult;
  try {
    result = await refresh(
      { jobs, trigger: 'manual', triggers: opts.triggers, label: opts.label, publish: opts.publish, rebuildSite: opts.buildSite ?? false, signal: stop.signal, models: opts.models },
      cfg,
      { log: cli.log, siteBuilder: cli.siteBuilder, progress: cli.progress },
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (result.exitCode !== EXIT.ok) {
    const what = result.outcome === 'locked' ? 'skipped' : result.outcome;
    throw new CommandExit(`${opts.label}: ${what}: ${result.message ?? ''}`.trim(), result.exitCode);
  }
  return result;
}

export interface RunOptions {
  force?: boolean;
  dependents?: boolean;
  publish?: boolean;
  buildSite?: boolean;
  /** The marts job's models (`--select`, `--rebuild`). */
  select?: string;
  rebuild?: boolean;
}

export async function runCommand(cli: OpsCli, target: string, opts: RunOptions): Promise<void> {
  const cfg = cli.loadConfig();
  if (opts.force) cfg.sotkanet.force = true;
  const registry = applyConfiguredDependencies(cli.jobs, cfg.ops ?? defaultOps());
  const jobs = target !== 'all' && opts.dependents ? withDependents(selectJobs(target, registry)[0]!.name, registry) : selectJobs(target, registry);
  const triggers = Object.fromEntries(jobs.map((j) => [j.name, target === 'all' || j.name === target ? 'manual' : 'dependency'] as const));
  if (opts.select !== undefined || opts.rebuild) {
    // Checked before any job runs: a mistyped model name fails at once, not after the sources.
    if (!jobs.some((j) => j.name === 'marts')) throw new CommandExit(`--select and --rebuild choose models of the marts job; "run ${target}" does not run it`, EXIT.usage);
    try {
      selectNodes(martGraph(cfg, cli.log), opts.select);
    } catch (e) {
      throw new CommandExit((e as Error).message, EXIT.usage);
    }
  }
  const r = await refreshFromCli(cli, jobs, cfg, {
    label: `run ${target}`,
    publish: opts.publish,
    buildSite: opts.buildSite,
    triggers,
    models: { select: opts.select, rebuild: opts.rebuild },
  });
  const published = r.publish?.outcome === 'published' ? ` → published ${r.publish.pointer.file}` : '';
  cli.out(`OK: ${jobs.map((j) => j.name).join(', ')}${published}${r.siteDir ? `, site ${r.siteDir}` : ''}\n`);
}

/**
 * A published file holds only marts: its run history is marts.data_status_runs (the last 20 runs per job), its
 * rejects marts.data_status_rejects (counts per file and reason). It is attached read-only to an in-memory database
 * in which ops.runs, ops.run_history and ops.rejects are views of those marts.
 */
async function openPublished(file: string): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const columns = `run_id, batch_id, job, trigger, attempt, outcome, started_at, finished_at, rows_read, rows_loaded,
    rows_rejected, message`;
  await conn.run(`attach ${sqlString(file)} as published (read_only);
    create schema ops;
    create view ops.runs as select ${columns} from published.marts.data_status_runs;
    create view ops.run_history as select ${columns}, duration_ms from published.marts.data_status_runs order by started_at desc;
    create view ops.rejects as
      select source, file_name as source_file, null::bigint as line, column_name, reason, null::varchar as raw_value,
             null::varchar as run_id, last_rejected_at as rejected_at
      from published.marts.data_status_rejects, range(rejected_rows) r;`);
  return { conn, close: () => (conn.closeSync(), instance.closeSync()) };
}

/** Opens the working warehouse read-only; while a refresh holds it, the published copy (as of its publish). */
async function openReadable(cfg: ResolvedConfig): Promise<{ conn: DuckDBConnection; note: string; close(): void } | null> {
  const candidates: [string, string][] = [[cfg.warehousePath, '']];
  const published = publishedWarehouse(cfg.warehousePath);
  if (published) candidates.push([published, `(the warehouse is busy: history as of the last publish, ${published})`]);
  let lastError: Error | undefined;
  for (const [file, note] of candidates) {
    if (!existsSync(file)) continue;
    try {
      if (note) return { ...(await openPublished(file)), note };
      const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
      const conn = await instance.connect();
      return { conn, note, close: () => (conn.closeSync(), instance.closeSync()) };
    } catch (e) {
      lastError = e as Error;
    }
  }
  if (lastError) throw new CommandExit(`cannot read the warehouse: ${lastError.message}`, EXIT.failed);
  return null;
}

async function rows<T>(conn: DuckDBConnection, sql: string, params?: Record<string, string | number>): Promise<T[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as T[];
}

function table(header: string[], body: (string | number | null | undefined)[][]): string {
  const cells = [header, ...body.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}

const localTime = (d: Date | string | null | undefined, tz: string): string =>
  d ? new Date(d).toLocaleString('sv-SE', { timeZone: tz }) : '-';

function duration(ms: number | bigint | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  const s = Number(ms) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

function hours(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return ms < 72 * 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 86_400_000).toFixed(1)} d`;
}

interface HistoryRow {
  run_id: string;
  batch_id: string | null;
  job: string;
  trigger: string;
  attempt: number | null;
  outcome: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: bigint | null;
  rows_read: bigint | null;
  rows_loaded: bigint | null;
  rows_rejected: bigint | null;
  message: string | null;
}

const HISTORY_SQL = `select run_id, batch_id, job, trigger, attempt, outcome, started_at::varchar as started_at,
  finished_at::varchar as finished_at, duration_ms, rows_read, rows_loaded, rows_rejected, message from ops.run_history`;

export async function statusCommand(cli: OpsCli, opts: { check?: boolean } = {}): Promise<void> {
  const cfg = cli.loadConfig();
  const ops = cfg.ops ?? defaultOps();
  const tz = ops.scheduler.timezone;
  const paths = opsPaths(cfg.warehousePath);
  const out: string[] = [];
  out.push(`Varasto / warehouse: ${cfg.warehousePath}`);
  const lock = readLock(lockPathFor(cfg.warehousePath));
  out.push(
    `Lukko / lock: ${lock ? `${isAlive(lock.pid) ? 'held' : 'STALE (process gone)'} by pid ${lock.pid} on ${lock.host} since ${localTime(lock.started_at, tz)}: ${lock.command}` : 'free'}`,
  );
  let heartbeat: { pid: number; updated_at: string; state: string; running: string | null } | null = null;
  try {
    heartbeat = JSON.parse(readFileSync(paths.heartbeat, 'utf8'));
  } catch {
    heartbeat = null;
  }
  const hbAge = heartbeat ? Date.now() - Date.parse(heartbeat.updated_at) : null;
  const hbAlive = heartbeat !== null && isAlive(heartbeat.pid) && (hbAge ?? Infinity) < 3 * ops.scheduler.heartbeatIntervalMs + 5000;
  out.push(
    `Ajastin / scheduler: ${heartbeat ? `${hbAlive ? 'running' : 'NOT RUNNING (stale heartbeat)'} pid ${heartbeat.pid}, ${heartbeat.state}${heartbeat.running ? ` ${heartbeat.running}` : ''}, heartbeat ${hours(hbAge)} ago` : 'not running'}`,
  );
  const pointer = readPointer(cfg.warehousePath);
  out.push(`Julkaistu / published: ${pointer ? `${pointer.file} at ${localTime(pointer.published_at, tz)} (${Object.keys(pointer.tables).length} marts)` : 'nothing published yet'}`);
  const site = currentSiteLink(paths.siteDir);
  out.push(`Sivusto / site: ${existsSync(site) ? site : 'no published site build'}`);

  const db = await openReadable(cfg);
  let problems = 0;
  const names = [...cli.jobs.map((j) => j.name), 'publish', 'site'];
  const last = new Map<string, HistoryRow>();
  const fresh = new Map<string, Awaited<ReturnType<typeof freshness>>[number]>();
  if (db) {
    try {
      for (const r of await rows<HistoryRow>(db.conn, `${HISTORY_SQL} where outcome <> 'retried'`)) if (!last.has(r.job)) last.set(r.job, r);
      for (const f of await freshness(db.conn, ops)) fresh.set(f.job, f);
      if (db.note) out.push(db.note);
    } finally {
      db.close();
    }
  }
  const body = names.map((name) => {
    const r = last.get(name);
    const f = fresh.get(name);
    const s = jobOps(ops, name);
    const next = s.schedule ? nextRun(s.schedule, s.timezone) : null;
    if (r && ['failed', 'timed_out', 'interrupted'].includes(r.outcome)) problems++;
    if (f?.level === 'error') problems++;
    return [
      name,
      r ? localTime(r.started_at, tz) : 'never',
      r?.outcome,
      r?.attempt,
      duration(r?.duration_ms),
      f ? `${f.level} (${hours(f.ageMs)}; warn ${hours(f.warnAfterMs)}, error ${hours(f.errorAfterMs)})` : '-',
      next ? `${localTime(next, s.timezone)} (${s.schedule})` : s.schedule === null ? 'not scheduled' : '-',
    ];
  });
  out.push('');
  out.push(table(['job', `last run (${tz})`, 'outcome', 'attempt', 'duration', 'freshness', 'next run'], body).trimEnd());
  const lastFailure = [...last.values()].find((r) => ['failed', 'timed_out', 'interrupted'].includes(r.outcome));
  if (lastFailure) out.push(`\nViimeisin virhe / last problem: ${lastFailure.job} ${lastFailure.outcome}: ${lastFailure.message ?? ''}`);
  cli.out(`${out.join('\n')}\n`);
  if (opts.check && problems) throw new CommandExit(`${problems} problem(s): see above`, EXIT.failed);
}

export async function historyCommand(cli: OpsCli, job: string | undefined, opts: { limit?: string; json?: boolean }): Promise<void> {
  const cfg = cli.loadConfig();
  const tz = (cfg.ops ?? defaultOps()).scheduler.timezone;
  const limit = Number(opts.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1) throw new CommandExit(`--limit must be a positive integer, not ${opts.limit}`, EXIT.usage);
  const db = await openReadable(cfg);
  if (!db) return cli.out('No runs yet (no warehouse).\n');
  try {
    const list = await rows<HistoryRow>(
      db.conn,
      `${HISTORY_SQL} ${job ? 'where job = $job' : ''} order by started_at desc limit ${limit}`,
      job ? { job } : undefined,
    );
    if (opts.json) {
      cli.out(`${JSON.stringify(list, (_, v) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`);
      return;
    }
    if (db.note) cli.out(`${db.note}\n`);
    cli.out(
      table(
        ['started', 'job', 'trigger', 'attempt', 'outcome', 'duration', 'read', 'loaded', 'rejected', 'batch', 'message'],
        list.map((r) => [
          localTime(r.started_at, tz),
          r.job,
          r.trigger,
          r.attempt,
          r.outcome,
          duration(r.duration_ms),
          r.rows_read?.toString(),
          r.rows_loaded?.toString(),
          r.rows_rejected?.toString(),
          r.batch_id?.slice(0, 8),
          (r.message ?? '').slice(0, 100),
        ]),
      ),
    );
  } finally {
    db.close();
  }
}

/** The rejects' sources per job: `rejects <job>` answers with the job's name as well as with a source name. */
const JOB_SOURCES: Record<string, readonly string[]> = {
  regions: ['regions_mergers', 'statfi_municipality_key'],
  sotkanet: ['sotkanet', 'sotkanet_data'],
  'service-use': ['service_use'],
  'unit-data': ['unit_data'],
  population: ['population'],
};

/**
 * Counts, reasons and locations (file, first line) only: never the rejected values (they may be patient-level).
 * Times in the scheduler's time zone, like status and history.
 */
export async function rejectsCommand(cli: OpsCli, source: string | undefined): Promise<void> {
  const cfg = cli.loadConfig();
  const tz = (cfg.ops ?? defaultOps()).scheduler.timezone;
  const db = await openReadable(cfg);
  if (!db) return cli.out('No rejects (no warehouse).\n');
  const sources = source ? (JOB_SOURCES[source] ?? [source.replace(/-/g, '_')]).filter((x) => /^[a-z0-9_]+$/.test(x)) : null;
  try {
    const list = await rows<{ source: string; file: string; reason: string; column_name: string | null; rows: bigint; first_line: bigint | null; last: string }>(
      db.conn,
      `select source, regexp_extract(source_file, '[^/\\\\]+$') as file, reason, column_name, count(*) as rows,
              min(line) as first_line, strftime(max(rejected_at) at time zone $tz, '%Y-%m-%d %H:%M:%S') as last
       from ops.rejects ${sources ? 'where list_contains($sources::varchar[], source)' : ''}
       group by all order by source, file, rows desc, first_line, column_name, reason`,
      sources ? { tz, sources: `[${sources.join(',')}]` } : { tz },
    );
    if (!list.length) return cli.out(`No rejected rows${source ? ` for ${source}` : ''}.\n`);
    cli.out(
      table(
        ['source', 'file', 'first line', 'column', 'reason', 'rows', `last (${tz})`],
        list.map((r) => [r.source, r.file, r.first_line?.toString() ?? '-', r.column_name, r.reason, r.rows.toString(), r.last]),
      ),
    );
  } finally {
    db.close();
  }
}

/** The scheduler service: runs until SIGTERM/SIGINT, then stops cleanly (exit 0). */
export async function schedulerCommand(cli: OpsCli): Promise<void> {
  let cfg: ResolvedConfig;
  try {
    cfg = cli.loadConfig();
  } catch (e) {
    cli.log.error('scheduler refuses to start: invalid configuration', { error: (e as Error).message.split('\n').join(' ') });
    throw e;
  }
  // The signal handlers come first: a SIGTERM during start-up (the lock and heartbeat already written) stops the
  // scheduler cleanly as soon as it is up, instead of killing it with its lock left behind.
  let requested: string | null = null;
  let scheduler: Awaited<ReturnType<typeof startScheduler>> | undefined;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const stop = (signal: string) => {
    requested ??= signal;
    if (scheduler) void scheduler.stop(signal).then(stopped);
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  try {
    scheduler = await startScheduler({ config: cfg, jobs: cli.jobs, deps: { log: cli.log, siteBuilder: cli.siteBuilder } });
  } catch (e) {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    if (!(e instanceof LockedError)) throw e;
    const h = e.holder;
    throw new CommandExit(
      `scheduler: another scheduler is already running on this warehouse${h ? ` (pid ${h.pid} on ${h.host} since ${h.started_at})` : ''}; ` +
        `stop it first (lock file ${e.path})`,
      EXIT.locked,
    );
  }
  if (requested) stop(requested);
  await done;
  // A job that ignored its abort signal must not keep the service from exiting.
  setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
}

/** validate-config's lines about operations: schedules with their next run, SLAs, alerts. */
export function describeOps(cfg: ResolvedConfig): string {
  const ops = cfg.ops ?? defaultOps();
  const lines = [`Scheduler: time zone ${ops.scheduler.timezone}, heartbeat every ${ops.scheduler.heartbeatIntervalMs / 1000} s`];
  for (const [name, s] of Object.entries(ops.jobs)) {
    const next = s.schedule ? nextRun(s.schedule, s.timezone) : null;
    lines.push(
      `  ${name}: ${s.schedule ? `"${s.schedule}" (${s.timezone}), next ${localTime(next, s.timezone)}` : 'not scheduled'}; timeout ${duration(s.timeoutMs)}; ${s.retry.attempts} attempt(s)${s.freshness ? `; fresh: warn ${hours(s.freshness.warnAfterMs)}, error ${hours(s.freshness.errorAfterMs)}` : ''}`,
    );
  }
  lines.push(`Publish: keep ${ops.publish.keep}, rebuild site ${ops.publish.rebuildSite ? 'yes' : 'no'}, checks: ${Object.keys(ops.publish.checks.minRows).length} min_rows, ${Object.keys(ops.publish.checks.uniqueKeys).length} unique_keys, max_row_drop ${ops.publish.checks.maxRowDrop}`);
  lines.push(`Alerts: ${[ops.alerts.command && `command`, ops.alerts.url && `POST ${new URL(ops.alerts.url).host}`].filter(Boolean).join(' + ') || 'none configured'}`);
  return `${lines.join('\n')}\n`;
}

/** Adds status, history, rejects and scheduler to a program (cli.ts has run, import, validate-config...). */
export function registerOpsCommands(program: Command, cli: () => OpsCli): Command {
  program
    .command('status')
    .description('last run, outcome, duration, freshness per source and next scheduled run of every job')
    .option('--check', 'exit 1 when a job\'s last run failed or a source is past its freshness error_after')
    .action((opts: { check?: boolean }) => statusCommand(cli(), opts));
  program
    .command('history')
    .argument('[job]', 'only this job (or publish, site)')
    .option('-n, --limit <n>', 'how many runs', '20')
    .option('--json', 'machine-readable')
    .description('run history from ops.runs, newest first')
    .action((job: string | undefined, opts: { limit?: string; json?: boolean }) => historyCommand(cli(), job, opts));
  program
    .command('rejects')
    .argument('[source]', 'only this source')
    .description('rejected input rows: counts and reasons per source (no row contents)')
    .action((source: string | undefined) => rejectsCommand(cli(), source));
  program
    .command('scheduler')
    .description('run the jobs on their schedules (config jobs.<name>.schedule) until SIGTERM')
    .action(() => schedulerCommand(cli()));
  return program;
}

/** A whole program for an injected registry (the fault suite's processes use it; cli.ts is the real one). */
export function buildOpsProgram(cli: () => OpsCli): Command {
  const program = new Command('pipeline').exitOverride();
  program
    .command('run')
    .argument('<job>')
    .option('--force')
    .option('--dependents', 'also run the jobs that depend on it')
    .option('--select <models>')
    .option('--rebuild')
    .option('--no-publish', 'do not publish')
    .option('--build-site', 'rebuild and switch the site after publishing')
    .action((target: string, opts: RunOptions) => runCommand(cli(), target, opts));
  program
    .command('validate-config')
    .action(() => {
      const c = cli();
      const cfg = c.loadConfig();
      c.out(`Configuration OK: ${cfg.file}\n${describeOps(cfg)}`);
    });
  return registerOpsCommands(program, cli);
}
