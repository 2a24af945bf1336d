/**
 * Operations commands of `npm run pipeline -- <command>` (docs/operations.md): run (through the lock and the atomic
 * publish), status, history, rejects, scheduler. The job registry, site builder and config loader are injected,
 * so the fault suite drives these same commands in real processes with fake jobs.
 */
import { Command } from 'commander';
import type { ResolvedConfig } from '../settings/pipeline.js';
import { selectJobs } from '../jobs/index.js';
import type { Job } from '../jobs/job.js';
import { type ModelSelection, selectNodes } from '../models/build.js';
import { martGraph } from '../jobs/mart-graph.js';
import type { Logger } from '../log.js';
import type { SiteBuilder } from '../site.js';
import { defaultOps } from '../settings/ops.js';
import { LockedError } from './lock.js';
import { createProgress } from './progress.js';
import type { JobProgress } from '../runner.js';
import { applyConfiguredDependencies, EXIT, refresh, withDependents, type RefreshResult } from './refresh.js';
import { startScheduler } from './scheduler.js';
import { CommandExit } from './command-exit.js';
import { HISTORY_SQL, type HistoryRow, JOB_SOURCES, openReadable, readStatus, rows } from './status-read.js';
import { describeOps, duration, formatStatus, localTime, table } from './status-format.js';

export { CommandExit, describeOps, EXIT };

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

export async function statusCommand(cli: OpsCli, opts: { check?: boolean } = {}): Promise<void> {
  const cfg = cli.loadConfig();
  const { text, problems } = formatStatus(cfg, [...cli.jobs.map((j) => j.name), 'publish', 'site'], await readStatus(cfg));
  cli.out(text);
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

/** The `run` command: one definition for cli.ts and the fault suite's program. */
export function registerRunCommand(program: Command, jobs: readonly Job[], run: (target: string, opts: RunOptions) => Promise<void>): Command {
  return program
    .command('run')
    .argument('<job>', `a job (${jobs.map((j) => j.name).join(', ')}) or "all"`)
    .description('run a job, or all jobs in dependency order, into the warehouse')
    .option('--force', 'refetch Sotkanet indicators even when their data-updated has not changed')
    .option('--dependents', 'also run the jobs that depend on it (e.g. marts after a source)')
    .option('--no-publish', 'leave the published state as it is (no data checks, no switch)')
    .option('--build-site', 'after publishing, rebuild the site into data/site/<time>/ and switch data/site/current')
    .option('--select <models>', 'marts: only these models of the SQL graph ("service_use_monthly", "+scorecard" with upstream, "regions+" with downstream, "layer:intermediate"; docs/pipelines.md)')
    .option('--rebuild', 'marts: build the selected models even when nothing upstream changed')
    .action(run);
}

/** A whole program for an injected registry (the fault suite's processes use it; cli.ts is the real one). */
export function buildOpsProgram(cli: () => OpsCli): Command {
  const program = new Command('pipeline').exitOverride();
  registerRunCommand(program, cli().jobs, (target, opts) => runCommand(cli(), target, opts));
  program
    .command('validate-config')
    .action(() => {
      const c = cli();
      const cfg = c.loadConfig();
      c.out(`Configuration OK: ${cfg.file}\n${describeOps(cfg)}`);
    });
  return registerOpsCommands(program, cli);
}
