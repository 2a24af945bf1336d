/** Waiting and retrying, shared by the runner, the warehouse lock and the scheduler. */

/** Retries with exponential backoff (config `jobs.<name>.retry`, pipelines/settings/ops.ts). */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  jitter: number;
}

/** Waits ms, or until the signal aborts (then resolves early). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Exponential backoff with jitter: backoff · 2^(attempt-1), capped, then ± jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
  return Math.max(0, Math.round(base * (1 + policy.jitter * (random() * 2 - 1))));
}
