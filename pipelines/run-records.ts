/**
 * The run records of the warehouse (ops.runs, ops.job_settings; docs/operations.md, "Run history"): one row per
 * attempt of a job with its outcome and counts, the warehouse opened for writing with the runs of a dead process
 * marked interrupted. What the runner (pipelines/runner.ts) writes down; it runs nothing.
 */
import { hostname } from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { JobResult } from './jobs/job.js';
import { defaultOps, jobOps } from './settings/ops.js';
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

const HOST = hostname();

/** Milliseconds as BIGINT parameters (a JS number above 2^31 would be bound as a 32-bit integer). */
const big = (ms: number | null | undefined): bigint | null => (ms === null || ms === undefined ? null : BigInt(Math.round(ms)));

export async function recordStart(
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

export async function recordEnd(conn: DuckDBConnection, s: RunSummary): Promise<void> {
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

/** ops.job_settings from the configuration (the data status page judges freshness with it). */
export async function recordJobSettings(conn: DuckDBConnection, ops: ReturnType<typeof defaultOps>): Promise<void> {
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
