import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedConfig } from './config.js';
import type { Job, JobResult } from './jobs/job.js';
import type { Logger } from './log.js';
import { transaction, withWarehouse } from './warehouse.js';

export type Trigger = 'manual' | 'schedule' | 'dependency';

export interface RunSummary extends Partial<JobResult> {
  runId: string;
  job: string;
  outcome: 'success' | 'failed' | 'skipped';
  durationMs: number;
  message?: string;
}

async function recordStart(conn: DuckDBConnection, runId: string, job: string, trigger: Trigger): Promise<void> {
  await conn.run(
    `insert into ops.runs (run_id, job, trigger, started_at, outcome) values ($run_id, $job, $trigger, now(), 'running')`,
    { run_id: runId, job, trigger },
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
      message: s.message ?? null,
    },
  );
}

/**
 * Runs jobs in the given order against the warehouse, each in its own transaction, recording every run in
 * ops.runs. After a failure the remaining jobs are skipped: they may depend on what failed.
 */
export async function runJobs(
  jobs: readonly Job[],
  opts: { config: ResolvedConfig; log: Logger; trigger?: Trigger },
): Promise<RunSummary[]> {
  const { config, log } = opts;
  return withWarehouse(config.warehousePath, async (conn) => {
    const summaries: RunSummary[] = [];
    let failed: string | undefined;
    for (const job of jobs) {
      const runId = randomUUID();
      const started = Date.now();
      await recordStart(conn, runId, job.name, opts.trigger ?? 'manual');
      let summary: RunSummary;
      if (failed) {
        summary = { runId, job: job.name, outcome: 'skipped', durationMs: 0, message: `skipped: ${failed} failed` };
        log.warn('job skipped', { job: job.name, reason: summary.message });
      } else {
        log.info('job started', { job: job.name, run_id: runId });
        try {
          const result = await transaction(conn, () => job.run({ conn, config, log, runId }));
          summary = { runId, job: job.name, outcome: 'success', durationMs: Date.now() - started, ...result };
          log.info('job finished', {
            job: job.name,
            outcome: 'success',
            duration_ms: summary.durationMs,
            rows_read: result.rowsRead,
            rows_loaded: result.rowsLoaded,
            rows_rejected: result.rowsRejected,
          });
        } catch (e) {
          const message = (e as Error).message;
          summary = { runId, job: job.name, outcome: 'failed', durationMs: Date.now() - started, message };
          failed = job.name;
          log.error('job failed', { job: job.name, duration_ms: summary.durationMs, error: message });
        }
      }
      await recordEnd(conn, summary);
      summaries.push(summary);
    }
    return summaries;
  });
}
