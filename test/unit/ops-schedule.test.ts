import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../pipelines/settings/pipeline.js';
import { checkJobNames, defaultOps, parseDuration, resolveOps } from '../../pipelines/settings/ops.js';
import { acquireLock, LockedError, lockPathFor } from '../../pipelines/ops/lock.js';
import { createScheduleTask, nextRun } from '../../pipelines/ops/scheduler.js';
import { backoffDelay } from '../../pipelines/retry.js';
import { configText } from '../faults/helpers.js';
import { tempDir } from '../helpers/tmp.js';

const FAKE = ['source-a', 'marts-fake', 'flaky', 'hang'];

/**
 * Runs the scheduler's node-cron task under a fake clock for `hours`; returns when it fired (UTC). Every firing is
 * also what nextRun predicted from the previous one. (node-cron ticks every minute: about 0.3 s per simulated hour.)
 */
async function firings(expression: string, from: string, hours: number): Promise<string[]> {
  vi.useFakeTimers({ now: new Date(from) });
  const fired: string[] = [];
  const predicted: string[] = [];
  let expected = nextRun(expression, 'Europe/Helsinki');
  const task = createScheduleTask(expression, 'Europe/Helsinki', (at) => {
    fired.push(at.toISOString());
    predicted.push(expected?.toISOString() ?? 'none');
    expected = nextRun(expression, 'Europe/Helsinki', at);
  });
  task.start();
  await vi.advanceTimersByTimeAsync(hours * 3_600_000);
  task.destroy();
  vi.useRealTimers();
  expect(fired).toEqual(predicted);
  return fired;
}

describe('schedules in Helsinki time across daylight saving changes (fake clock)', () => {
  afterEach(() => vi.useRealTimers());

  it('02:30 every night stays 02:30 local when EET becomes EEST (29 March 2026)', async () => {
    expect(await firings('30 2 * * *', '2026-03-29T00:00:00Z', 24)).toEqual([
      '2026-03-29T00:30:00.000Z', // EET, UTC+2: the change happens at 03:00 that night, after 02:30
      '2026-03-29T23:30:00.000Z', // EEST, UTC+3: the night node-cron 4.2.1 alone skips
    ]);
  });

  it('02:30 every night stays 02:30 local when EEST becomes EET (25 October 2026)', async () => {
    expect(await firings('30 2 * * *', '2026-10-24T23:00:00Z', 26)).toEqual([
      '2026-10-24T23:30:00.000Z', // 25 Oct 02:30 is still summer time, UTC+3 (the clocks go back at 04:00)
      '2026-10-26T00:30:00.000Z', // EET, UTC+2
    ]);
  });

  it('the monthly run on the 5th at 04:00 local, computed across the spring change', async () => {
    // node-cron 4.2.1's own getNextRun answers 2027-01-05 here.
    expect(nextRun('0 4 5 * *', 'Europe/Helsinki', new Date('2026-03-20T00:00:00Z'))?.toISOString()).toBe('2026-04-05T01:00:00.000Z');
    expect(await firings('0 4 5 * *', '2026-04-04T22:00:00Z', 6)).toEqual(['2026-04-05T01:00:00.000Z']);
  });

  it('a time that does not exist (03:30 on 29 March) is skipped that night; one that happens twice fires once', async () => {
    expect(await firings('30 3 * * *', '2026-03-28T23:00:00Z', 4)).toEqual([]);
    expect(await firings('30 3 * * *', '2026-10-24T23:00:00Z', 4)).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('weekday and seconds fields: Mondays 07:00, every 15 seconds', () => {
    const at = new Date('2026-11-23T12:00:00Z'); // a Monday
    expect(nextRun('0 7 * * mon', 'Europe/Helsinki', at)?.toISOString()).toBe('2026-11-30T05:00:00.000Z');
    expect(nextRun('*/15 * * * * *', 'Europe/Helsinki', at)?.toISOString()).toBe('2026-11-23T12:00:15.000Z');
  });
});

describe('operations configuration', () => {
  const parse = (ops: Record<string, unknown>) => {
    const problems = checkJobNames(resolveOps(parseConfig(configText('/tmp/w.duckdb', ops), 'ops.yaml')), FAKE);
    if (problems.length) throw new ConfigError('ops.yaml', problems);
  };
  const problems = (ops: Record<string, unknown>): string => {
    try {
      parse(ops);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('fills defaults: Europe/Helsinki, a year of history, one attempt', () => {
    const ops = defaultOps();
    expect(ops.scheduler.timezone).toBe('Europe/Helsinki');
    expect(ops.scheduler.historyDays).toBeGreaterThanOrEqual(366);
    expect(ops.defaults.retry.attempts).toBe(1);
    expect(parseDuration('36h')).toBe(129_600_000);
    expect(parseDuration(90)).toBe(90_000);
  });

  it('names the key of a bad cron expression, unknown job, bad time zone, bad duration, short history', () => {
    expect(problems({ jobs: { 'source-a': { schedule: 'every night' } } })).toContain('jobs.source-a.schedule: not a valid cron expression');
    expect(problems({ jobs: { sotkanett: { schedule: '0 3 * * *' } } })).toContain('jobs.sotkanett: unknown job "sotkanett" (known jobs: source-a');
    expect(problems({ jobs: { flaky: { depends_on: ['nope'] } } })).toContain('jobs.flaky.depends_on.0: unknown job "nope"');
    expect(problems({ scheduler: { timezone: 'Europe/Helsingfors' } })).toContain('scheduler.timezone: unknown time zone');
    expect(problems({ jobs: { hang: { timeout: 'ten minutes' } } })).toContain('jobs.hang.timeout');
    expect(problems({ scheduler: { history_days: 30 } })).toContain('scheduler.history_days');
    expect(problems({ jobs: { flaky: { freshness: { warn_after: '2d', error_after: '1d' } } } })).toContain(
      'jobs.flaky.freshness: error_after must not be shorter than warn_after',
    );
    expect(problems({ alerts: { url: 'not a url' } })).toContain('alerts.url');
  });

  it('the shipped file schedules the real jobs', () => {
    const cfg = parseConfig(configText('/tmp/w.duckdb', {}), 'shipped.yaml');
    expect(cfg.jobs).toEqual({ defaults: expect.anything() });
  });
});

describe('retry backoff', () => {
  it('doubles per attempt, is capped, and jitters within ± jitter', () => {
    const policy = { attempts: 5, backoffMs: 1000, maxBackoffMs: 5000, jitter: 0.2 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(policy, a, () => 0.5))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(800);
    expect(backoffDelay(policy, 1, () => 1)).toBe(1200);
  });
});

describe('warehouse lock', () => {
  it('refuses a live holder, takes over a dead one, and releases', async () => {
    const tmp = tempDir('tj-lock-');
    const wh = join(tmp.dir, 'w.duckdb');
    const lock = await acquireLock(wh, { command: 'test' });
    await expect(acquireLock(wh, { command: 'second' })).rejects.toBeInstanceOf(LockedError);
    lock.release();
    // A lock left by a process that no longer exists (pid far above pid_max) is stale.
    writeFileSync(lockPathFor(wh), JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname(), started_at: 'x', command: 'dead' }));
    let staleReason = '';
    const taken = await acquireLock(wh, { command: 'third', onStale: (_, reason) => (staleReason = reason) });
    expect(staleReason).toContain('no longer running');
    expect(taken.recoveredFrom?.command).toBe('dead');
    taken.release();
    tmp.cleanup();
  });
});
