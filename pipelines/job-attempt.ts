/**
 * One attempt of one job (pipelines/runner.ts runs them): its own connection, one transaction, the job's timeout and
 * the shutdown signal. A stop interrupts the job's query and closes its connection, which rolls everything back.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { Job, JobContext, JobResult } from './jobs/job.js';
import { abortableSleep } from './retry.js';

export class StopError extends Error {
  constructor(readonly kind: 'timed_out' | 'interrupted', message: string) {
    super(message);
  }
}

/**
 * One attempt of one job on its own connection in one transaction. On timeout or abort the job's signal fires,
 * its query is interrupted and its connection closed, which rolls the transaction back: nothing it wrote lands.
 */
export async function runAttempt(
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
