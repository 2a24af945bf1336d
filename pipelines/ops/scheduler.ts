/**
 * The scheduler service (`npm run scheduler`): node-cron tasks per scheduled job (config `jobs.<name>.schedule`,
 * time zone default Europe/Helsinki), one refresh at a time in this process (a job already running or queued is
 * skipped, not doubled), the warehouse lock across processes, a heartbeat file, freshness SLA checks with alerts,
 * and a clean stop on SIGTERM.
 */
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTask, type ScheduledTask } from 'node-cron';
import type { ResolvedConfig } from '../settings/pipeline.js';
import type { Job } from '../jobs/job.js';
import { openForWriting, type Trigger } from '../runner.js';
import { abortableSleep } from '../retry.js';
import { createAlertSender } from './alerts.js';
import { defaultOps, jobOps } from '../settings/ops.js';
import { cronMatches, localFields, nextCronMatch, parseCron } from '../cron.js';
import { acquireLock, LockedError } from './lock.js';
import { opsPaths, writeAtomic } from './publish.js';
import {
  applyConfiguredDependencies,
  freshness,
  refresh,
  withDependents,
  type FreshnessLevel,
  type RefreshDeps,
  type RefreshResult,
} from './refresh.js';

export type TriggerResult = RefreshResult | { outcome: 'skipped'; exitCode: number; message: string };

export interface Scheduler {
  /** Runs a job (and its dependents) now, or reports it skipped when it is already running or queued. */
  trigger(job: string, trigger?: Trigger): Promise<TriggerResult>;
  nextRuns(): Record<string, Date | null>;
  /** Stops the timers, aborts the current step (recorded as interrupted), releases the lock. */
  stop(reason?: string): Promise<void>;
}

/** When a cron expression fires next in its time zone (pipelines/cron.ts: DST-safe). */
export function nextRun(expression: string, timezone: string, after: Date = new Date()): Date | null {
  return nextCronMatch(parseCron(expression), after, timezone);
}

/**
 * A node-cron task that calls fire(at) whenever `expression` matches in `timezone`. node-cron ticks every minute
 * (every second for 6-field expressions) in UTC, where its timer arithmetic is exact, and each tick is matched
 * against the wall-clock time in `timezone` (pipelines/cron.ts explains why: node-cron 4.2.1 computes its next
 * run across a DST change with the old UTC offset; with timezone Europe/Helsinki even a every-minute task stops
 * for a day after the spring change). A wall-clock time that happens twice (the autumn change) fires once.
 */
export function createScheduleTask(expression: string, timezone: string, fire: (at: Date) => void, name?: string): ScheduledTask {
  const spec = parseCron(expression);
  let lastWallClock = '';
  return createTask(
    spec.hasSeconds ? '* * * * * *' : '0 * * * * *',
    (ctx) => {
      if (!cronMatches(spec, ctx.date, timezone)) return;
      const wall = localFields(ctx.date, timezone).join(':');
      if (wall === lastWallClock) return;
      lastWallClock = wall;
      fire(ctx.date);
    },
    // Overlap is handled by the scheduler (a running or queued job is skipped), and fire() returns at once.
    { timezone: 'Etc/UTC', noOverlap: false, name },
  );
}

export async function startScheduler(opts: {
  config: ResolvedConfig;
  jobs: readonly Job[];
  deps: RefreshDeps;
}): Promise<Scheduler> {
  const { config, deps } = opts;
  const { log } = deps;
  const ops = config.ops ?? defaultOps();
  const registry = applyConfiguredDependencies(opts.jobs, ops);
  const alert = deps.alert ?? createAlertSender(ops.alerts, log);
  const refreshDeps: RefreshDeps = { ...deps, alert };
  const paths = opsPaths(config.warehousePath);
  const startedAt = new Date().toISOString();
  const shutdown = new AbortController();
  const pending = new Set<string>();
  let running: string | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let stopping = false;
  let lastResult: { job: string; outcome: string; at: string; message?: string } | null = null;
  const tasks = new Map<string, ScheduledTask>();
  const schedules = new Map<string, { expression: string; timezone: string }>();

  const writeHeartbeat = (state: string): void => {
    const next = Object.fromEntries(Object.entries(nextRuns()).map(([k, v]) => [k, v?.toISOString() ?? null]));
    writeAtomic(
      paths.heartbeat,
      `${JSON.stringify({ pid: process.pid, host: hostname(), state, started_at: startedAt, updated_at: new Date().toISOString(), running, queued: [...pending].filter((j) => j !== running), next_runs: next, last_result: lastResult }, null, 2)}\n`,
    );
  };

  function nextRuns(): Record<string, Date | null> {
    return Object.fromEntries([...schedules].map(([name, s]) => [name, nextRun(s.expression, s.timezone)]));
  }

  // One scheduler per warehouse, for the life of the process: a second one refuses to start (LockedError; the CLI
  // exits 3). A scheduler killed with SIGKILL leaves a stale lock that the next start takes over.
  const schedulerLock = await acquireLock(config.warehousePath, {
    command: `scheduler (pid ${process.pid})`,
    name: 'scheduler',
    onStale: (holder, reason) => log.warn('stale scheduler lock recovered', { reason, previous_pid: holder?.pid }),
  });

  // Recovery: a lock left by a dead process is taken over, and its runs left 'running' become 'interrupted'.
  try {
    const lock = await acquireLock(config.warehousePath, {
      command: 'scheduler start-up recovery',
      onStale: (holder, reason) => log.warn('stale warehouse lock recovered', { reason, previous_pid: holder?.pid, previous_command: holder?.command }),
    });
    try {
      const wh = await openForWriting(config.warehousePath, ops.scheduler.historyDays);
      wh.close();
      if (wh.recovered) log.warn('runs of a dead process recorded as interrupted', { runs: wh.recovered });
    } finally {
      lock.release();
    }
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    log.warn('warehouse locked by another process at start-up; scheduled runs will wait for it', { holder_pid: e.holder?.pid });
  }

  function trigger(name: string, how: Trigger = 'manual'): Promise<TriggerResult> {
    const job = registry.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`Unknown job "${name}"`));
    if (stopping) return Promise.resolve({ outcome: 'skipped', exitCode: 3, message: 'skipped: the scheduler is stopping' });
    if (pending.has(name)) {
      const message = `skipped: ${name} is already ${running === name ? 'running' : 'queued'}`;
      log.warn('job skipped', { job: name, trigger: how, reason: message });
      return Promise.resolve({ outcome: 'skipped', exitCode: 3, message });
    }
    pending.add(name);
    const settings = jobOps(ops, name);
    const jobs = settings.runDependents ? withDependents(name, registry) : [job];
    const triggers = Object.fromEntries(jobs.map((j) => [j.name, j.name === name ? how : ('dependency' as Trigger)]));
    const result = chain.then(async () => {
      if (stopping) return { outcome: 'skipped', exitCode: 3, message: 'skipped: the scheduler is stopping' } as TriggerResult;
      running = name;
      writeHeartbeat('running');
      try {
        const r = await refresh(
          { jobs, trigger: how, triggers, label: `${how} ${name}`, lockWaitMs: ops.scheduler.lockWaitMs, signal: shutdown.signal },
          config,
          refreshDeps,
        );
        lastResult = { job: name, outcome: r.outcome, at: new Date().toISOString(), message: r.message };
        return r as TriggerResult;
      } catch (e) {
        log.error('refresh crashed', { job: name, error: (e as Error).message });
        lastResult = { job: name, outcome: 'failed', at: new Date().toISOString(), message: (e as Error).message };
        await alert({ kind: 'failure', job: name, message: (e as Error).message });
        return { outcome: 'failed', exitCode: 1, batchId: '', summaries: [], message: (e as Error).message } as TriggerResult;
      } finally {
        running = null;
        pending.delete(name);
        if (!stopping) writeHeartbeat('idle');
      }
    });
    chain = result.catch(() => undefined);
    return result;
  }

  // Freshness SLAs: alert when a source crosses warn_after or error_after (once per level until it recovers).
  const alerted = new Map<string, FreshnessLevel>();
  const rank: Record<FreshnessLevel, number> = { ok: 0, never: 0, warn: 1, error: 2 };
  async function checkFreshness(): Promise<void> {
    if (stopping) return;
    let lock;
    try {
      lock = await acquireLock(config.warehousePath, { command: 'scheduler freshness check' });
    } catch (e) {
      if (e instanceof LockedError) return; // someone is writing; next round
      throw e;
    }
    try {
      const instance = await DuckDBInstance.create(config.warehousePath, { access_mode: 'READ_ONLY' });
      const conn = await instance.connect();
      try {
        for (const f of await freshness(conn, ops)) {
          const before = alerted.get(f.job) ?? 'ok';
          if (rank[f.level] > rank[before]) {
            const hours = f.ageMs === null ? '?' : (f.ageMs / 3_600_000).toFixed(1);
            const limit = f.level === 'error' ? f.errorAfterMs : f.warnAfterMs;
            log.warn('freshness SLA breached', { job: f.job, level: f.level, age_h: hours });
            await alert({ kind: 'sla', job: f.job, message: `last successful run ${hours} h ago (${f.level}: limit ${(limit / 3_600_000).toFixed(1)} h)` });
          }
          alerted.set(f.job, f.level);
        }
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    } catch (e) {
      log.warn('freshness check failed', { error: (e as Error).message });
    } finally {
      lock.release();
    }
  }

  for (const name of Object.keys(ops.jobs)) {
    const s = jobOps(ops, name);
    if (!s.schedule) continue;
    // trigger() does not wait for the run, and skips the job when it is already running or queued: never two runs
    // of one job at once.
    const task = createScheduleTask(s.schedule, s.timezone, () => void trigger(name, 'schedule'), name);
    task.on('execution:missed', () => log.warn('scheduler tick missed (blocked event loop?)', { job: name }));
    tasks.set(name, task);
    schedules.set(name, { expression: s.schedule, timezone: s.timezone });
  }
  for (const task of tasks.values()) await task.start();
  const heartbeat = setInterval(() => writeHeartbeat(running ? 'running' : 'idle'), ops.scheduler.heartbeatIntervalMs);
  const freshTimer = setInterval(() => {
    chain = chain.then(checkFreshness).catch(() => undefined);
  }, ops.scheduler.freshnessCheckIntervalMs);
  writeHeartbeat('idle');
  chain = chain.then(checkFreshness).catch(() => undefined);
  log.info('scheduler started', {
    pid: process.pid,
    jobs: [...tasks.keys()].join(',') || '(none scheduled)',
    next: Object.entries(nextRuns()).map(([k, v]) => `${k}@${v?.toISOString()}`).join(','),
  });

  return {
    trigger,
    nextRuns,
    async stop(reason = 'stop requested') {
      if (stopping) return;
      stopping = true;
      log.info('scheduler stopping', { reason, running: running ?? undefined });
      for (const task of tasks.values()) await task.destroy();
      clearInterval(heartbeat);
      clearInterval(freshTimer);
      shutdown.abort();
      const finished = await Promise.race([chain.then(() => true), abortableSleep(ops.scheduler.shutdownGraceMs).then(() => false)]);
      if (!finished) log.error('the current step did not stop within shutdown_grace; exiting anyway', { running: running ?? undefined });
      rmSync(paths.heartbeat, { force: true });
      schedulerLock.release();
      log.info('scheduler stopped');
    },
  };
}
