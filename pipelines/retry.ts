/** Waiting and retrying, shared by the runner, the warehouse lock, the scheduler and the HTTP client. */

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

/** The exponential base of retry `attempt` (1 = first retry): base · 2^(attempt-1), capped at max. Pure. */
export function exponentialBackoff(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

/** Job retries (the runner): the exponential base, then ± jitter (a share of it). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = exponentialBackoff(attempt, policy.backoffMs, policy.maxBackoffMs);
  return Math.max(0, Math.round(base * (1 + policy.jitter * (random() * 2 - 1))));
}

/** HTTP retries (Sotkanet, PxWeb): a random delay in the upper half of the exponential base, never above max. Pure. */
export function upperHalfJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = exponentialBackoff(attempt, baseMs, maxMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
