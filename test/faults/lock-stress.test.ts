/**
 * Issue 13, defect 7: stale-lock takeover is atomic. 100 trials, each a warehouse whose lock file a dead process
 * left; four real processes, aligned on the wall clock, try to take it at the same instant. Exactly one holds it in
 * every trial. And a second scheduler on the same warehouse exits 3 with a clear message.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../pipelines/processes.js';
import { projectRoot } from '../../pipelines/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { finished, opsFixture, waitFor } from './helpers.js';

const CONTENDER = join(projectRoot, 'test', 'faults', 'fixtures', 'lock-contender.ts');

describe('defect 7: stale-lock takeover (real processes)', () => {
  const tmp = tempDir('tj-lock-stress-');
  afterAll(() => tmp.cleanup());

  it('exactly one holder in each of 100 aligned trials of four processes taking over a stale lock', async () => {
    const trials = 100;
    const contenders = 4;
    // A pid that is certainly dead: a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    expect(isAlive(dead)).toBe(false);
    for (let i = 0; i < trials; i++) {
      const stale = { pid: dead, host: hostname(), started_at: new Date(Date.now() - 3_600_000).toISOString(), command: 'killed run' };
      writeFileSync(join(tmp.dir, `w${i}.duckdb.lock`), `${JSON.stringify(stale)}\n`);
    }
    const interval = 100;
    const start = Date.now() + 15_000; // time for the contenders to start (tsx) on a loaded machine
    const runs = Array.from({ length: contenders }, () =>
      finished(spawn(process.execPath, ['--import', 'tsx', CONTENDER, tmp.dir, String(trials), String(start), String(interval), String(contenders)], { cwd: projectRoot })),
    );
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      // Every contender was up before the first trial, so every trial was contended by all four.
      expect(Number(/^ready (-?\d+)/.exec(r.stdout)?.[1])).toBeGreaterThan(0);
    }
    const holders = Array.from({ length: trials }, (_, i) => results.filter((r) => r.stdout.includes(`\n${i} held\n`)).length);
    expect(holders).toEqual(Array(trials).fill(1));
    const answered = results.map((r) => r.stdout.split('\n').filter((l) => / (held|locked)$/.test(l)).length);
    expect(answered).toEqual(Array(contenders).fill(trials));
  }, 120_000);
});

describe('defect 7: one scheduler per warehouse', () => {
  const f = opsFixture('tj-two-schedulers-');
  beforeAll(() =>
    f.writeConfig({ scheduler: { heartbeat_interval: '1s', lock_wait: '0s', shutdown_grace: '5s', freshness_check_interval: '1h' }, jobs: { defaults: { timeout: '20s' } } }),
  );
  afterAll(() => f.cleanup());

  it('a second scheduler on the same warehouse exits 3 naming the running one; after it stops, a new one starts', async () => {
    const first = f.start(['scheduler']);
    const firstDone = finished(first);
    await waitFor('the first scheduler to write its heartbeat', () => existsSync(f.paths.heartbeat), 60_000);
    const second = await f.run(['scheduler']);
    expect(second.code, second.stderr).toBe(3);
    expect(second.stderr).toContain(`scheduler: another scheduler is already running on this warehouse (pid ${first.pid} on ${hostname()}`);
    first.kill('SIGTERM');
    expect((await firstDone).code).toBe(0);
    const third = f.start(['scheduler']);
    const thirdDone = finished(third);
    await waitFor('the next scheduler to start', () => existsSync(f.paths.heartbeat), 60_000);
    third.kill('SIGTERM');
    expect((await thirdDone).code).toBe(0);
  }, 180_000);
});
