// The build's memory settings (pipelines/site.ts): esbuild's GOMEMLIMIT, the Node processes left at Evidence's own
// heap limit, and a build process that runs out of its V8 heap named as such (real Node processes that fill it).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../pipelines/log.js';
import { evidenceEnv, HeapLimitError, queryErrorIds, runBuildProcess } from '../../pipelines/site.js';

/** A Node process that keeps 600 MB of arrays alive: it fits a 4 096 MB heap, not a 200 MB one. */
const NEEDS_600_MB = ['-e', 'const keep = []; for (let i = 0; i < 600; i++) keep.push(new Array(1 << 17).fill(i + 0.5)); console.log(keep.length)'];

describe('the build processes memory', () => {
  it('gives esbuild a GOMEMLIMIT and keeps the caller NODE_OPTIONS and GOMEMLIMIT', () => {
    const env = evidenceEnv('/tmp/w.duckdb', { PATH: process.env.PATH });
    expect(env.GOMEMLIMIT).toBe('128MiB');
    expect(env.NODE_OPTIONS).toBeUndefined(); // Evidence's CLI then gives vite build its 4 096 MB
    const callers = evidenceEnv('/tmp/w.duckdb', { NODE_OPTIONS: '--max-old-space-size=6000', GOMEMLIMIT: '1GiB' });
    expect(callers.NODE_OPTIONS).toBe('--max-old-space-size=6000');
    expect(callers.GOMEMLIMIT).toBe('1GiB');
    const limitMb = Number(
      execFileSync(process.execPath, ['-e', 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)'], { env: callers, encoding: 'utf8' }),
    ) / 1024 / 1024;
    expect(limitMb).toBeGreaterThanOrEqual(6000);
  });

  it('fails a process that ran out of its heap with HeapLimitError naming the command and the remedy', async () => {
    const log = createLogger(() => {});
    const env = { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=200' };
    const oom = runBuildProcess(process.execPath, NEEDS_600_MB, env, log, 60_000);
    await expect(oom).rejects.toThrow(HeapLimitError);
    await expect(oom).rejects.toThrow(/node -e .* ran out of its V8 heap .*NODE_OPTIONS=--max-old-space-size=<MB>/);
    await expect(runBuildProcess(process.execPath, NEEDS_600_MB, { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=4096' }, log, 60_000)).resolves.toBeGreaterThan(0);
    const other = runBuildProcess(process.execPath, ['-e', 'process.exit(3)'], env, log, 60_000);
    await expect(other).rejects.toThrow(/failed \(exit 3\)/);
    await expect(other).rejects.not.toThrow(HeapLimitError);
  }, 60_000);

  it('fails a build whose prerender reported a failed page query, naming the query and not the message', async () => {
    const log = createLogger(() => {});
    const env = { PATH: process.env.PATH };
    // what Evidence's Query prints (console.error) when a page query fails; split over two writes on purpose
    const script = `process.stderr.write('budget | Error in Query! Binder Error: value 123456 '); setTimeout(() => { process.stderr.write('not found\\nok line\\nunit_budgets | Error in Query! x'); }, 50)`;
    const run = runBuildProcess(process.execPath, ['-e', script], env, log, 60_000);
    await expect(run).rejects.toThrow(/node -e: 2 page queries failed while prerendering \(budget, unit_budgets\)/);
    await expect(run).rejects.not.toThrow(/123456/);
    await expect(runBuildProcess(process.execPath, ['-e', `console.error('a warning | not an error')`], env, log, 60_000)).resolves.toBeGreaterThan(0);
    expect(queryErrorIds(['x | Error in Query! y', 'Error in Query!', '  q1 | Error in Query! z'])).toEqual(['x', 'q1']);
  }, 60_000);
});
