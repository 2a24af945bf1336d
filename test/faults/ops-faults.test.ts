/**
 * Operations fault suite (issue 7): real processes (the pipeline's operations commands with fake jobs, see
 * fixtures/ops-cli.ts), a real DuckDB warehouse in a temp folder, no network beyond 127.0.0.1, no Evidence build.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedPointer } from '../../pipelines/ops/publish.js';
import { finished, opsFixture, waitFor } from './helpers.js';

/** What the dashboards see of a published state: its data (the run history in it is refreshed after every run). */
const data = (p: PublishedPointer | null) => p && { batch_id: p.batch_id, published_at: p.published_at, tables: p.tables };

const OPS = {
  scheduler: { heartbeat_interval: '1s', lock_wait: '0s', shutdown_grace: '5s', freshness_check_interval: '1h' },
  jobs: {
    defaults: { timeout: '20s' },
    'source-a': { timeout: '30s' },
    hang: { timeout: '1s' },
    flaky: { retry: { attempts: 3, backoff: '100ms', max_backoff: '1s', jitter: 0.5 } },
  },
  publish: { rebuild_site: true, checks: { max_row_drop: 0.5, min_rows: {}, unique_keys: { 'marts.fake_values': ['id'] } } },
};

describe('operations fault suite (real processes, fake jobs)', () => {
  describe('two overlapping triggers of the same job', () => {
    const f = opsFixture('tj-ops-overlap-');
    beforeAll(() => f.writeConfig(OPS));
    afterAll(() => f.cleanup());

    it('run exactly once; the other is reported skipped (exit 3) and the lock is released', async () => {
      // the first run holds the lock until the second has finished, however slow the machine is
      const release = join(f.dir, 'release-first');
      const first = f.start(['run', 'source-a'], { FAKE_HOLD_UNTIL: release });
      const firstDone = finished(first);
      await waitFor('the first run to take the lock', () => f.lockExists());
      const second = await f.run(['run', 'source-a'], { FAKE_SLOW_MS: '0' });
      writeFileSync(release, '');
      const one = await firstDone;
      expect(one.code, one.stderr).toBe(0);
      expect(second.code, second.stderr).toBe(3);
      expect(second.stderr).toMatch(/skipped.*locked by pid \d+/s);
      const runs = await f.runs();
      expect(runs.filter((r) => r.job === 'source-a')).toHaveLength(1);
      expect(f.lockExists()).toBe(false);
    });
  });

  describe('a job that exceeds its timeout', () => {
    const f = opsFixture('tj-ops-timeout-');
    beforeAll(() => f.writeConfig(OPS));
    afterAll(() => f.cleanup());

    it('is stopped, recorded as timed_out, and its partial output is neither kept nor published', async () => {
      expect((await f.run(['run', 'source-a'])).code).toBe(0);
      const before = f.pointer();
      const started = Date.now();
      const r = await f.run(['run', 'hang']);
      expect(r.code, r.stderr).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(r.stderr).toContain('timed out after 1 s');
      const hang = (await f.runs()).filter((x) => x.job === 'hang');
      expect(hang).toMatchObject([{ outcome: 'timed_out', attempt: 1 }]);
      expect(data(f.pointer())).toEqual(data(before));
      expect(before?.tables['marts.fake_partial']).toBeUndefined();
      // The transaction was rolled back: the working warehouse has no partial table either.
      const { withReadOnly } = await import('../helpers/tmp.js');
      const tables = await withReadOnly(f.warehouse, async (conn) =>
        (await conn.runAndReadAll(`select table_name from information_schema.tables where table_name = 'fake_partial'`)).getRowObjectsJS(),
      );
      expect(tables).toEqual([]);
      expect(f.lockExists()).toBe(false);
    });
  });

  describe('a source failing twice, then succeeding', () => {
    const f = opsFixture('tj-ops-retry-');
    beforeAll(async () => {
      f.writeConfig(OPS);
      expect((await f.run(['run', 'source-a'])).code).toBe(0); // a published state for the checks to compare with
    });
    afterAll(() => f.cleanup());

    it('gives one successful run with attempt = 3 (the two failed attempts recorded as retried)', async () => {
      const counter = join(f.dir, 'attempts');
      const r = await f.run(['run', 'flaky'], { FAKE_COUNTER: counter, FAKE_FAIL_TIMES: '2' });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(counter, 'utf8')).toBe('3');
      const runs = (await f.runs()).filter((x) => x.job === 'flaky');
      expect(runs.map((x) => `${x.attempt}:${x.outcome}`)).toEqual(['1:retried', '2:retried', '3:success']);
      expect(runs.filter((x) => x.outcome === 'success')).toEqual([expect.objectContaining({ attempt: 3 })]);
      expect(new Set(runs.map((x) => x.batch_id)).size).toBe(1);
      expect(String(runs[0]!.message)).toContain('source unavailable (attempt 1)');
    });

    it('gives up after the configured attempts: failed, exit 1, nothing published', async () => {
      const counter = join(f.dir, 'attempts-2');
      const before = f.pointer();
      const r = await f.run(['run', 'flaky'], { FAKE_COUNTER: counter, FAKE_FAIL_TIMES: '5' });
      expect(r.code).toBe(1);
      expect(readFileSync(counter, 'utf8')).toBe('3');
      const last = (await f.runs()).filter((x) => x.job === 'flaky').slice(-3);
      expect(last.map((x) => `${x.attempt}:${x.outcome}`)).toEqual(['1:retried', '2:retried', '3:failed']);
      expect(data(f.pointer())).toEqual(data(before));
    });
  });

  describe('SIGKILL of the scheduler mid-run', () => {
    const f = opsFixture('tj-ops-kill-');
    const scheduled = { ...OPS, jobs: { ...OPS.jobs, 'source-a': { schedule: '*/2 * * * * *', timeout: '60s', run_dependents: false } } };
    afterAll(() => f.cleanup());

    it('on restart the lock is recovered, the run is interrupted, the published state is the previous one, the next run succeeds', async () => {
      f.writeConfig(OPS);
      expect((await f.run(['run', 'source-a'], { FAKE_ROWS: '10' })).code).toBe(0);
      const published = f.pointer();
      expect(published).not.toBeNull();

      f.writeConfig(scheduled);
      const killed = f.start(['scheduler'], { FAKE_SLOW_MS: '60000', FAKE_ROWS: '20' });
      let log = '';
      killed.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      const killedDone = finished(killed);
      await waitFor('the scheduled job to start', () => log.includes('job started job=source-a') && f.lockExists());
      expect(JSON.parse(readFileSync(f.paths.heartbeat, 'utf8'))).toMatchObject({ running: 'source-a', state: 'running' });
      await new Promise((r) => setTimeout(r, 300)); // into the job's transaction
      killed.kill('SIGKILL');
      const dead = await killedDone;
      expect(dead.code).toBeNull();
      const stale = JSON.parse(readFileSync(`${f.warehouse}.lock`, 'utf8'));
      expect(stale).toMatchObject({ pid: killed.pid, host: hostname() });
      expect(data(f.pointer())).toEqual(data(published));

      const restarted = f.start(['scheduler'], { FAKE_SLOW_MS: '0', FAKE_ROWS: '20' });
      const restartedDone = finished(restarted);
      await waitFor('a new publish by the restarted scheduler', () => f.pointer()?.batch_id !== published!.batch_id, 30_000);
      restarted.kill('SIGTERM');
      const r = await restartedDone;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('stale warehouse lock recovered');
      expect(r.stderr).toContain('scheduler stopped');
      expect(f.pointer()?.tables['marts.fake_values']).toBe(20);
      expect(existsSync(f.paths.heartbeat)).toBe(false);
      expect(f.lockExists()).toBe(false);
      const runs = (await f.runs()).filter((x) => x.job === 'source-a');
      expect(runs[0]).toMatchObject({ trigger: 'manual', outcome: 'success' });
      expect(runs[1]).toMatchObject({ trigger: 'schedule', outcome: 'interrupted' });
      expect(String(runs[1]!.message)).toContain(`process ${killed.pid}`);
      expect(runs.slice(2).map((x) => x.outcome)).toContain('success');
      expect(runs.some((x) => x.outcome === 'running')).toBe(false);
      // The scheduler rebuilt and switched the site after its publish (fake builder).
      expect(readFileSync(join(f.paths.siteDir, 'current', 'index.html'), 'utf8')).toMatch(/built from \S+\/published\/\d{8}T\d+Z\.duckdb/);
    });
  });

  describe('SIGTERM of the scheduler mid-run', () => {
    const f = opsFixture('tj-ops-term-');
    afterAll(() => f.cleanup());

    it('aborts the step cleanly: run interrupted, nothing published, lock and heartbeat removed, exit 0', async () => {
      f.writeConfig(OPS);
      expect((await f.run(['run', 'source-a'])).code).toBe(0);
      const published = f.pointer();
      f.writeConfig({ ...OPS, jobs: { ...OPS.jobs, 'source-a': { schedule: '* * * * * *', timeout: '60s' } } });
      const child = f.start(['scheduler'], { FAKE_SLOW_MS: '60000' });
      let log = '';
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      const done = finished(child);
      await waitFor('the scheduled job to start', () => log.includes('job started job=source-a'));
      const stopAt = Date.now();
      child.kill('SIGTERM');
      const r = await done;
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(10_000);
      expect(r.stderr).toMatch(/scheduler stopping reason=SIGTERM/);
      expect(f.lockExists()).toBe(false);
      expect(existsSync(f.paths.heartbeat)).toBe(false);
      expect(data(f.pointer()), r.stderr).toEqual(data(published));
      const runs = (await f.runs()).filter((x) => x.job === 'source-a');
      expect(runs.at(-1)).toMatchObject({ trigger: 'schedule', outcome: 'interrupted' });
      // The dependent marts job was not started on a half-done source.
      const marts = (await f.runs()).filter((x) => x.job === 'marts-fake');
      expect(marts.at(-1)).toMatchObject({ outcome: 'skipped' });
    });
  });

  describe('SIGTERM of a CLI run', () => {
    const f = opsFixture('tj-ops-cli-term-');
    beforeAll(() => f.writeConfig(OPS));
    afterAll(() => f.cleanup());

    it('stops the step, records it interrupted, exits 4 and releases the lock', async () => {
      const child = f.start(['run', 'source-a', '--dependents'], { FAKE_SLOW_MS: '60000' });
      let log = '';
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      const done = finished(child);
      await waitFor('the job to start', () => log.includes('job started job=source-a'));
      child.kill('SIGTERM');
      const r = await done;
      expect(r.code, r.stderr).toBe(4);
      expect(f.lockExists()).toBe(false);
      expect(f.pointer()).toBeNull();
      expect((await f.runs()).map((x) => `${x.job}:${x.outcome}`)).toEqual(['source-a:interrupted', 'marts-fake:skipped']);
    });
  });

  describe('a data check failing (a mart suddenly empty)', () => {
    const f = opsFixture('tj-ops-check-');
    const posts: { text: string; kind: string }[] = [];
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          posts.push(JSON.parse(body));
          res.end('ok');
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    });
    afterAll(async () => {
      await new Promise<void>((r) => server.close(() => r()));
      f.cleanup();
    });

    it('keeps the previous published state, fails the run with the reason, and alerts (POST and command)', async () => {
      const marker = join(f.dir, 'alert-command.txt');
      f.writeConfig({ ...OPS, alerts: { url, command: `cat > '${marker}'` } });
      expect((await f.run(['run', 'source-a', '--dependents'], { FAKE_ROWS: '10' })).code).toBe(0);
      const published = f.pointer();
      expect(published?.tables['marts.fake_values']).toBe(10);
      expect(posts).toEqual([]);

      const r = await f.run(['run', 'source-a', '--dependents'], { FAKE_ROWS: '0' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('marts.fake_values is empty (the published state had 10 rows)');
      expect(data(f.pointer())).toEqual(data(published));
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ kind: 'check' });
      expect(posts[0]!.text).toContain('marts.fake_values is empty');
      expect(readFileSync(marker, 'utf8')).toContain('marts.fake_values is empty');
      const publish = (await f.runs()).filter((x) => x.job === 'publish');
      expect(publish.map((x) => x.outcome)).toEqual(['success', 'failed']);
      expect(String(publish[1]!.message)).toContain('data checks failed: marts.fake_values is empty');
      // The published state keeps its data, but its run history (for the data status page) shows the failure.
      const { withReadOnly } = await import('../helpers/tmp.js');
      const { publishedWarehouse } = await import('../../pipelines/ops/publish.js');
      const seen = await withReadOnly(publishedWarehouse(f.warehouse)!, async (conn) => ({
        publishes: (await conn.runAndReadAll(`select outcome from marts.data_status_runs where job = 'publish' order by started_at`)).getRowObjectsJS(),
        rows: (await conn.runAndReadAll('select count(*)::integer as n from marts.fake_values')).getRowObjectsJS(),
      }));
      expect(seen.publishes.map((x) => x.outcome)).toEqual(['success', 'failed']);
      expect(seen.rows).toEqual([{ n: 10 }]);

      // Duplicate keys are caught too.
      const dup = await f.run(['run', 'source-a'], { FAKE_ROWS: '10', FAKE_DUPLICATE_IDS: '1' });
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain('marts.fake_values has 5 duplicate key(s) (id)');
      expect(data(f.pointer())).toEqual(data(published));
      expect(posts).toHaveLength(2);

      // status tells the truth about the failure.
      const status = await f.run(['status']);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/publish\s+\S+ \S+\s+failed/);
      expect(status.stdout).toContain(f.pointer()!.file);
      expect((await f.run(['status', '--check'])).code).toBe(1);
    });
  });

  describe('corrupt configuration', () => {
    const f = opsFixture('tj-ops-config-');
    afterAll(() => f.cleanup());

    it('the scheduler refuses to start with a clear error naming the key (exit 2)', async () => {
      f.writeRawConfig('warehouse: [unclosed\n');
      let r = await f.run(['scheduler']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/pipeline\.yaml.*not valid YAML/s);

      f.writeConfig({ ...OPS, jobs: { 'source-a': { schedule: '61 25 * * *' } } });
      r = await f.run(['scheduler']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('jobs.source-a.schedule: not a valid cron expression: "61 25 * * *"');

      f.writeConfig({ ...OPS, jobs: { nope: { schedule: '0 3 * * *' }, flaky: { retry: { attempts: 0 } } } });
      r = await f.run(['scheduler']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('jobs.flaky.retry.attempts');
      f.writeConfig({ ...OPS, jobs: { nope: { schedule: '0 3 * * *' } } });
      r = await f.run(['validate-config']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('jobs.nope: unknown job "nope"');
      expect(existsSync(f.paths.heartbeat)).toBe(false);
      expect(f.lockExists()).toBe(false);
    });
  });

  describe('CLI reading commands', () => {
    const f = opsFixture('tj-ops-read-');
    beforeAll(() => f.writeConfig(OPS));
    afterAll(() => f.cleanup());

    it('history and rejects answer; rejects show counts and reasons only', async () => {
      expect((await f.run(['run', 'source-a'])).code).toBe(0);
      const history = await f.run(['history', 'source-a', '--json']);
      expect(history.code).toBe(0);
      expect(JSON.parse(history.stdout)).toMatchObject([{ job: 'source-a', outcome: 'success', attempt: 1, trigger: 'manual' }]);
      const rejects = await f.run(['rejects']);
      expect(rejects.code).toBe(0);
      expect(rejects.stdout).toContain('No rejected rows');
      expect((await f.run(['run', 'no-such-job'])).code).toBe(2);
    });
  });
});
