/**
 * The Sotkanet HTTP client: the only code that talks to the network. Node 20's global fetch, an explicit
 * User-Agent, a per-request timeout, a total deadline, and retries with exponential backoff and jitter on 429
 * (honouring Retry-After), 5xx, timeouts and network errors. It returns response text; parsing is elsewhere.
 */
import type { Logger } from '../log.js';
import { upperHalfJitterDelay } from '../retry.js';
import type { HttpSettings } from '../settings/sotkanet.js';

export interface ClientOptions extends HttpSettings {
  baseUrl: string;
  log?: Logger;
  /** Names the service in errors and logs (default "Sotkanet"). */
  service?: string;
  /** Aborting stops the current request and any further retry (a run timeout or a shutdown). */
  signal?: AbortSignal;
  /** Injectable for tests. */
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A request that failed for good (after retries, or at once on a non-retryable status). */
export class SotkanetHttpError extends Error {
  constructor(
    readonly subject: string,
    readonly url: string,
    readonly attempts: number,
    detail: string,
    readonly status?: number,
    /** Which service (the client also serves Statistics Finland's PxWeb API for population sources). */
    readonly service = 'Sotkanet',
  ) {
    super(`${service} ${subject} (${url}): ${detail} after ${attempts} attempt(s)`);
    this.name = 'SotkanetHttpError';
  }
}

export type QueryParams = ReadonlyArray<readonly [string, string | number]>;

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. Pure. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Builds `<base>/<path>?a=1&a=2` with repeated parameters (Sotkanet's `years` and `genders`). Pure. */
export function buildUrl(baseUrl: string, path: string, params: QueryParams = []): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [k, v] of params) url.searchParams.append(k, String(v));
  return url.toString();
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

class FatalError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class SotkanetClient {
  private readonly startedAt: number;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Requests made, including retries (for reports and tests). */
  requests = 0;

  constructor(private readonly opts: ClientOptions) {
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.random = opts.random ?? Math.random;
    this.sleep =
      opts.sleep ??
      ((ms) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', done);
            resolve();
          }
          opts.signal?.addEventListener('abort', done, { once: true });
        }));
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
  }

  url(path: string, params?: QueryParams): string {
    return buildUrl(this.opts.baseUrl, path, params);
  }

  private remaining(): number {
    return this.opts.deadlineMs - (this.now() - this.startedAt);
  }

  /** GETs a URL and returns its body text, retrying what is worth retrying. */
  async getText(path: string, params: QueryParams, subject: string): Promise<{ text: string; url: string }> {
    return this.fetchText(this.url(path, params), subject);
  }

  /**
   * Fetches an absolute URL (GET, or POST with `body`, e.g. a PxWeb query) with the same timeout, deadline and
   * retries, and returns its body text.
   */
  async fetchText(url: string, subject: string, body?: { text: string; contentType: string }): Promise<{ text: string; url: string }> {
    const service = this.opts.service ?? 'Sotkanet';
    const maxAttempts = this.opts.retries + 1;
    let lastProblem = '';
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.opts.signal?.aborted) {
        throw new SotkanetHttpError(subject, url, attempt - 1, `aborted${lastProblem ? ` (last: ${lastProblem})` : ''}`, lastStatus, service);
      }
      const remaining = this.remaining();
      if (remaining <= 0) {
        throw new SotkanetHttpError(subject, url, attempt - 1, `total deadline of ${this.opts.deadlineMs} ms passed${lastProblem ? ` (last: ${lastProblem})` : ''}`, lastStatus, service);
      }
      try {
        const text = await this.once(url, Math.min(this.opts.timeoutMs, remaining), body);
        return { text, url };
      } catch (e) {
        if (!(e instanceof RetryableError)) {
          const status = e instanceof FatalError ? e.status : undefined;
          throw new SotkanetHttpError(subject, url, attempt, (e as Error).message, status, service);
        }
        lastProblem = e.message;
        lastStatus = e.status;
        if (attempt === maxAttempts) break;
        let delay = upperHalfJitterDelay(attempt, this.opts.backoffBaseMs, this.opts.backoffMaxMs, this.random);
        if (e.retryAfterMs !== undefined) delay = Math.max(delay, Math.min(e.retryAfterMs, this.opts.backoffMaxMs));
        if (delay >= this.remaining()) {
          throw new SotkanetHttpError(subject, url, attempt, `${e.message}; no time left for a retry before the total deadline`, e.status, service);
        }
        this.opts.log?.warn(`${service.toLowerCase()} request retry`, { url, attempt, problem: e.message, delay_ms: delay });
        await this.sleep(delay);
      }
    }
    throw new SotkanetHttpError(subject, url, maxAttempts, lastProblem, lastStatus, service);
  }

  private async once(url: string, timeoutMs: number, body?: { text: string; contentType: string }): Promise<string> {
    this.requests++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const outer = this.opts.signal;
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      let res: Response;
      try {
        res = await this.fetchImpl(url, {
          method: body ? 'POST' : 'GET',
          headers: {
            'User-Agent': this.opts.userAgent,
            Accept: 'application/json, text/csv;q=0.9, */*;q=0.1',
            ...(body ? { 'Content-Type': body.contentType } : {}),
          },
          ...(body ? { body: body.text } : {}),
          signal: controller.signal,
        });
      } catch (e) {
        if (outer?.aborted) throw new FatalError('aborted');
        if (controller.signal.aborted) throw new RetryableError(`no response within ${timeoutMs} ms`);
        throw new RetryableError(`network error: ${(e as Error).message}`);
      }
      if (res.status === 429) {
        await res.body?.cancel().catch(() => undefined);
        throw new RetryableError('HTTP 429 Too Many Requests', parseRetryAfter(res.headers.get('retry-after'), this.now()), 429);
      }
      if (res.status >= 500) {
        await res.body?.cancel().catch(() => undefined);
        throw new RetryableError(`HTTP ${res.status}`, undefined, res.status);
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new FatalError(`HTTP ${res.status}`, res.status);
      }
      try {
        return await res.text();
      } catch (e) {
        if (outer?.aborted) throw new FatalError('aborted');
        if (controller.signal.aborted) throw new RetryableError(`response body not complete within ${timeoutMs} ms`);
        throw new RetryableError(`response body broke off: ${(e as Error).message}`);
      }
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  regions(): Promise<{ text: string; url: string }> {
    return this.getText('regions', [], 'regions');
  }

  indicatorList(): Promise<{ text: string; url: string }> {
    return this.getText('indicators', [], 'indicator list');
  }

  indicator(id: number): Promise<{ text: string; url: string }> {
    return this.getText(`indicators/${id}`, [], `indicator ${id}`);
  }

  data(
    id: number,
    format: 'csv' | 'json',
    years: readonly number[],
    genders: readonly string[],
  ): Promise<{ text: string; url: string }> {
    const params: [string, string | number][] = [['indicator', id]];
    for (const y of years) params.push(['years', y]);
    for (const g of genders) params.push(['genders', g]);
    return this.getText(format, params, `indicator ${id}`);
  }
}
