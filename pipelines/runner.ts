/**
 * The runner: jobs in order against the warehouse, each attempt in its own transaction (pipelines/job-attempt.ts),
 * every attempt recorded in ops.runs (pipelines/run-records.ts), with timeouts, retries and backoff per job.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedConfig } from './settings/pipeline.js';
import type { Job } from './jobs/job.js';
import type { Logger } from './log.js';
import type { ModelSelection } from './models/build.js';
import { defaultOps, jobOps } from './settings/ops.js';
import { abortableSleep, backoffDelay } from './retry.js';
import { runAttempt, StopError } from './job-attempt.js';
import { openForWriting, recordEnd, recordJobSettings, recordStart, type RunSummary, type Trigger } from './run-records.js';

export { finalSummaries, openForWriting, type Outcome, type RunSummary, type Trigger } from './run-records.js';

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
