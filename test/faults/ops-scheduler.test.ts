/** The scheduler in-process with fake jobs: overlapping triggers, queueing, dependents, alerts, clean stop. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../pipelines/log.js';
import type { Alert } from '../../pipelines/ops/alerts.js';
import { defaultOps } from '../../pipelines/settings/ops.js';
import { readPointer } from '../../pipelines/ops/publish.js';
import { refresh } from '../../pipelines/ops/refresh.js';
import { startScheduler } from '../../pipelines/ops/scheduler.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';
import { FAKE_JOBS } from './fixtures/fake-jobs.js';

describe('scheduler (in-process, fake jobs)', () => {
  const tmp = tempDir('tj-ops-sched-');
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
    tmp.cleanup();
  });

  it('a second trigger of a running job is skipped; another job queues behind it; dependents follow', async () => {
    const warehouse = join(tmp.dir, 'warehouse.duckdb');
    const ops = defaultOps();
    ops.publish.rebuildSite = false;
    ops.jobs.hang = { ...ops.defaults, schedule: null, timezone: 'Europe/Helsinki', timeoutMs: 500, freshness: null, dependsOn: null, runDependents: true };
    const alerts: Alert[] = [];
    const lines: string[] = [];
    process.env.FAKE_SLOW_MS = '1500';
    process.env.FAKE_COUNTER = join(tmp.dir, 'counter');
    process.env.FAKE_FAIL_TIMES = '0';
    const scheduler = await startScheduler({
      config: testConfig(warehouse, { ops }),
      jobs: FAKE_JOBS,
      deps: { log: createLogger((l) => lines.push(l)), alert: async (a) => void alerts.push(a) },
    });
    const first = scheduler.trigger('source-a', 'schedule');
    const second = await scheduler.trigger('source-a', 'schedule');
    expect(second).toMatchObject({ outcome: 'skipped', exitCode: 3 });
    expect(second.message).toMatch(/source-a is already (running|queued)/);
    const queued = scheduler.trigger('flaky', 'manual');
    const hang = scheduler.trigger('hang', 'manual');
    expect(await first).toMatchObject({ outcome: 'success' });
    expect(await queued).toMatchObject({ outcome: 'success' });
    expect(await hang).toMatchObject({ outcome: 'failed' });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'failure', job: 'hang' })]);
    await scheduler.stop('test');
    expect(lines.some((l) => l.includes('job skipped') && l.includes('job=source-a'))).toBe(true);

    const runs = await withReadOnly(warehouse, async (conn) =>
      (await conn.runAndReadAll(`select job, trigger, outcome from ops.runs order by started_at`)).getRowObjectsJS(),
    );
    expect(runs.map((r) => `${r.job}:${r.trigger}:${r.outcome}`)).toEqual([
      'source-a:schedule:success',
      'marts-fake:dependency:success',
      'publish:dependency:success',
      'flaky:manual:success',
      'publish:dependency:success',
      'hang:manual:timed_out',
    ]);
    expect(readPointer(warehouse)?.tables['marts.fake_summary']).toBe(1);
  });

  it('a source past its freshness SLA sends one sla alert per level', async () => {
    const warehouse = join(tmp.dir, 'sla', 'warehouse.duckdb');
    const ops = defaultOps();
    ops.publish.rebuildSite = false;
    const settings = { ...ops.defaults, schedule: null, timezone: 'Europe/Helsinki', dependsOn: null, runDependents: false };
    ops.jobs['source-a'] = { ...settings, freshness: { warnAfterMs: 1, errorAfterMs: 3_600_000 } };
    ops.jobs.flaky = { ...settings, freshness: { warnAfterMs: 1, errorAfterMs: 2 } };
    ops.scheduler.freshnessCheckIntervalMs = 200;
    const config = testConfig(warehouse, { ops });
    process.env.FAKE_SLOW_MS = '0';
    const log = createLogger(() => {});
    expect((await refresh({ jobs: FAKE_JOBS.slice(0, 1), trigger: 'manual', label: 'seed' }, config, { log })).outcome).toBe('success');
    const alerts: Alert[] = [];
    const scheduler = await startScheduler({ config, jobs: FAKE_JOBS, deps: { log, alert: async (a) => void alerts.push(a) } });
    await new Promise((r) => setTimeout(r, 1000)); // several checks
    await scheduler.stop('test');
    expect(alerts.filter((a) => a.kind === 'sla').map((a) => `${a.job}:${a.message.split(' (')[1]?.split(':')[0]}`).sort()).toEqual([
      'source-a:warn',
    ]);
  });

  it('a stop that comes before the first job started publishes nothing (every job skipped, outcome interrupted)', async () => {
    const warehouse = join(tmp.dir, 'early-stop', 'warehouse.duckdb'); // publish and site folders go beside it
    const ops = defaultOps();
    ops.publish.rebuildSite = false; // never an Evidence build in tests
    const config = testConfig(warehouse, { ops });
    const log = createLogger(() => {});
    process.env.FAKE_SLOW_MS = '0';
    const jobs = FAKE_JOBS.slice(0, 2);
    const first = await refresh({ jobs, trigger: 'manual', label: 'first' }, config, { log });
    expect(first, first.message).toMatchObject({ outcome: 'success' });
    const before = readPointer(warehouse);
    const stop = new AbortController();
    stop.abort();
    const r = await refresh({ jobs, trigger: 'schedule', label: 'stopped', signal: stop.signal }, config, { log });
    expect(r).toMatchObject({ outcome: 'interrupted', exitCode: 4 });
    expect(r.summaries.map((x) => x.outcome)).toEqual(['skipped', 'skipped']);
    expect(readPointer(warehouse)?.batch_id).toBe(before?.batch_id);
  });
});
