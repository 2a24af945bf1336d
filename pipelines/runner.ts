import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedConfig } from './settings/pipeline.js';
import type { Job, JobContext, JobResult } from './jobs/job.js';
import type { ModelSelection } from './models/build.js';
import type { Logger } from './log.js';
import { defaultOps, jobOps } from './settings/ops.js';
import { abortableSleep, backoffDelay } from './retry.js';
import { openWarehouse } from './warehouse.js';
import { redactSecrets } from './safe-text.js';

export type Trigger = 'manual' | 'schedule' | 'dependency';

/**
 * How a run (one attempt of one job) ended. `retried`: failed, and another attempt followed; `timed_out`: stopped
 * at the job's timeout; `interrupted`: stopped by a shutdown, or its process died (found at the next start).
 */
export type Outcome = 'success' | 'failed' | 'retried' | 'timed_out' | 'interrupted' | 'skipped';

export interface RunSummary extends Partial<JobResult> {
  runId: string;
  job: string;
  outcome: Outcome;
  durationMs: number;
  attempt: number;
  trigger: Trigger;
  message?: string;
}

/** Effects of a run, replaceable in tests (the refresh passes its own on). */
export interface RunEffects {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  progress?: (job: string) => JobProgress | undefined;
}

export interface RunOptions extends RunEffects {
  config: ResolvedConfig;
  log: Logger;
  /** The trigger recorded for every job, unless `triggers` names one for a job. Default manual. */
  trigger?: Trigger;
  triggers?: Record<string, Trigger>;
  /** Groups the runs of one trigger (jobs, publish, site build) in ops.runs. */
  batchId?: string;
  /** Aborting stops the current job (recorded as interrupted) and skips the rest. */
  signal?: AbortSignal;
  /** Which models of the SQL graph the marts job builds (JobContext.models). */
  models?: ModelSelection;
}

/** A job's progress display (pipelines/ops/progress.ts makes them for a terminal). */
export interface JobProgress {
  /** Rows done (and the total when known): the job's ctx.progress. */
  update(rowsDone: number, rowsTotal?: number): void;
  /** The attempt ended: clear the line. */
  done(): void;
}

const HOST = hostname();

/** Milliseconds as BIGINT parameters (a JS number above 2^31 would be bound as a 32-bit integer). */
const big = (ms: number | null | undefined): bigint | null => (ms === null || ms === undefined ? null : BigInt(Math.round(ms)));

async function recordStart(
  conn: DuckDBConnection,
  r: { runId: string; job: string; trigger: Trigger; attempt: number; batchId: string; timeoutMs: number | null },
): Promise<void> {
  await conn.run(
    `insert into ops.runs (run_id, job, trigger, started_at, outcome, attempt, batch_id, host, pid, timeout_ms)
     values ($run_id, $job, $trigger, now(), 'running', $attempt, $batch_id, $host, $pid, $timeout_ms)`,
    {
      run_id: r.runId,
      job: r.job,
      trigger: r.trigger,
      attempt: r.attempt,
      batch_id: r.batchId,
      host: HOST,
      pid: process.pid,
      timeout_ms: big(r.timeoutMs),
    },
  );
}

async function recordEnd(conn: DuckDBConnection, s: RunSummary): Promise<void> {
  await conn.run(
    `update ops.runs set finished_at = now(), outcome = $outcome, rows_read = $read, rows_loaded = $loaded,
            rows_rejected = $rejected, message = $message
     where run_id = $run_id`,
    {
      run_id: s.runId,
      outcome: s.outcome,
      read: s.rowsRead ?? null,
      loaded: s.rowsLoaded ?? null,
      rejected: s.rowsRejected ?? null,
      message: s.message === undefined ? null : redactSecrets(s.message),
    },
  );
}

/**
 * Opens the warehouse for writing (openWarehouse: schemas, ops tables and macros made sure), runs left 'running' by a process that died
 * marked interrupted (DuckDB's file lock means no other process is writing now), history beyond `historyDays`
 * deleted.
 */
export async function openForWriting(
  path: string,
  historyDays = 400,
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection; recovered: number; close(): void }> {
  const { instance, conn, close } = await openWarehouse(path);
  try {
    const reader = await conn.runAndReadAll(`select count(*)::integer as n from ops.runs where outcome = 'running'`);
    const recovered = Number((reader.getRowObjectsJS()[0] as { n: number }).n);
    if (recovered > 0) {
      await conn.run(
        `update ops.runs set outcome = 'interrupted', finished_at = coalesce(finished_at, now()),
                message = 'interrupted: process ' || coalesce(cast(pid as varchar), '?') || ' on ' || coalesce(host, '?')
                          || ' ended before the run finished'
         where outcome = 'running'`,
      );
      await conn.run(
        `update ops.publishes set outcome = 'interrupted', finished_at = coalesce(finished_at, now())
         where outcome = 'running'`,
      );
    }
    await conn.run(`delete from ops.runs where started_at < now() - to_days(${Math.trunc(historyDays)})`);
    return { instance, conn, recovered, close };
  } catch (e) {
    close();
    throw e;
  }
}

class StopError extends Error {
  constructor(readonly kind: 'timed_out' | 'interrupted', message: string) {
    super(message);
  }
}

/**
 * One attempt of one job on its own connection in one transaction. On timeout or abort the job's signal fires,
 * its query is interrupted and its connection closed, which rolls the transaction back: nothing it wrote lands.
 */
async function runAttempt(
  instance: DuckDBInstance,
  job: Job,
  ctx: Omit<JobContext, 'conn' | 'signal'>,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<JobResult> {
  const conn = await instance.connect();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new StopError('timed_out', `timed out after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    onOuterAbort = () => reject(new StopError('interrupted', 'interrupted: shutdown requested'));
    if (outer?.aborted) onOuterAbort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
  });
  stopped.catch(() => undefined); // handled by the race below; never an unhandled rejection
  let work: Promise<JobResult> | undefined;
  try {
    await conn.run('begin transaction');
    work = job.run({ ...ctx, conn, signal: controller.signal });
    const result = await Promise.race([work, stopped]);
    await conn.run('commit');
    return result;
  } catch (e) {
    if (e instanceof StopError) {
      controller.abort(e);
      conn.interrupt();
      // Give the job a moment to notice; whatever it still does afterwards fails on the closed connection.
      work?.catch(() => undefined);
      await Promise.race([work?.catch(() => undefined), abortableSleep(2000)]);
    } else {
      try {
        await conn.run('rollback');
      } catch {
        // The connection is closed below either way; closing rolls back.
      }
    }
    throw e;
  } finally {
    clearTimeout(timer);
    if (onOuterAbort) outer?.removeEventListener('abort', onOuterAbort);
    conn.closeSync();
  }
}

/**
 * Runs jobs in the given order against the warehouse, each attempt in its own transaction, recording every
 * attempt in ops.runs. Per job (config `jobs.<name>`): a timeout, and retries with exponential backoff and jitter.
 * After a failure the remaining jobs are skipped: they may depend on what failed.
 */
export async function runJobs(jobs: readonly Job[], opts: RunOptions): Promise<RunSummary[]> {
  const { config, log } = opts;
  const ops = config.ops ?? defaultOps();
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;
  const batchId = opts.batchId ?? randomUUID();
  const wh = await openForWriting(config.warehousePath, ops.scheduler.historyDays);
  if (wh.recovered) log.warn('runs left running by a dead process marked interrupted', { runs: wh.recovered });
  const { conn } = wh;
  try {
    await recordJobSettings(conn, ops);
    const summaries: RunSummary[] = [];
    let stopReason: string | undefined;
    for (const job of jobs) {
      const settings = jobOps(ops, job.name);
      const trigger = opts.triggers?.[job.name] ?? opts.trigger ?? 'manual';
      if (stopReason || opts.signal?.aborted) {
        const runId = randomUUID();
        await recordStart(conn, { runId, job: job.name, trigger, attempt: 1, batchId, timeoutMs: null });
        const summary: RunSummary = {
          runId,
          job: job.name,
          trigger,
          attempt: 1,
          outcome: 'skipped',
          durationMs: 0,
          message: `skipped: ${stopReason ?? 'shutdown requested'}`,
        };
        log.warn('job skipped', { job: job.name, reason: summary.message });
        await recordEnd(conn, summary);
        summaries.push(summary);
        continue;
      }
      for (let attempt = 1; ; attempt++) {
        const runId = randomUUID();
        const started = Date.now();
        await recordStart(conn, { runId, job: job.name, trigger, attempt, batchId, timeoutMs: settings.timeoutMs });
        log.info('job started', { job: job.name, run_id: runId, attempt, trigger });
        let summary: RunSummary;
        const progress = opts.progress?.(job.name);
        try {
          const result = await runAttempt(
            wh.instance,
            job,
            { config, log, runId, progress: progress ? (n, t) => progress.update(n, t) : undefined, runJobs: jobs.map((j) => j.name), models: opts.models },
            settings.timeoutMs,
            opts.signal,
          ).finally(() => progress?.done());
          summary = { runId, job: job.name, trigger, attempt, outcome: 'success', durationMs: Date.now() - started, ...result };
          log.info('job finished', {
            job: job.name,
            outcome: 'success',
            attempt,
            duration_ms: summary.durationMs,
            rows_read: result.rowsRead,
            rows_loaded: result.rowsLoaded,
            rows_rejected: result.rowsRejected,
          });
        } catch (e) {
          const message = (e as Error).message;
          const durationMs = Date.now() - started;
          if (e instanceof StopError) {
            summary = { runId, job: job.name, trigger, attempt, outcome: e.kind, durationMs, message };
            stopReason = `${job.name} ${e.kind === 'timed_out' ? 'timed out' : 'was interrupted'}`;
          } else if (attempt < settings.retry.attempts && !opts.signal?.aborted) {
            summary = { runId, job: job.name, trigger, attempt, outcome: 'retried', durationMs, message };
          } else {
            summary = { runId, job: job.name, trigger, attempt, outcome: 'failed', durationMs, message };
            stopReason = `${job.name} failed`;
          }
          log.error(`job ${summary.outcome === 'retried' ? 'failed, will retry' : summary.outcome.replace('_', ' ')}`, {
            job: job.name,
            attempt,
            duration_ms: durationMs,
            error: message,
          });
        }
        await recordEnd(conn, summary);
        summaries.push(summary);
        if (summary.outcome !== 'retried') break;
        const delay = backoffDelay(settings.retry, attempt, random);
        log.info('job retry scheduled', { job: job.name, next_attempt: attempt + 1, delay_ms: delay });
        await sleep(delay, opts.signal);
      }
    }
    await conn.run('checkpoint');
    return summaries;
  } finally {
    wh.close();
  }
}

/** ops.job_settings from the configuration (the data status page judges freshness with it). */
async function recordJobSettings(conn: DuckDBConnection, ops: ReturnType<typeof defaultOps>): Promise<void> {
  await conn.run('delete from ops.job_settings');
  for (const name of Object.keys(ops.jobs)) {
    const s = jobOps(ops, name);
    await conn.run(
      `insert into ops.job_settings values ($job, $schedule, $tz, $timeout, $attempts, $warn, $error, now())`,
      {
        job: name,
        schedule: s.schedule,
        tz: s.timezone,
        timeout: big(s.timeoutMs),
        attempts: s.retry.attempts,
        warn: big(s.freshness?.warnAfterMs),
        error: big(s.freshness?.errorAfterMs),
      },
    );
  }
}

/** The summaries that count: the last attempt of each job (earlier attempts are `retried`). */
export function finalSummaries(summaries: readonly RunSummary[]): RunSummary[] {
  return summaries.filter((s) => s.outcome !== 'retried');
}
