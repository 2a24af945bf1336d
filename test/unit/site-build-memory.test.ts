// The build's memory limits (pipelines/site.ts): every Node process Evidence starts gets the heap limit from
// NODE_OPTIONS, checked here in a real child process; a limit the caller set is kept.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUILD_HEAP_MB, evidenceEnv } from '../../pipelines/site.js';

/** The V8 heap limit (MB) of a Node process started with `env`, as V8 reports it. */
function heapLimitMb(env: NodeJS.ProcessEnv): number {
  const out = execFileSync(process.execPath, ['-e', 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)'], { env, encoding: 'utf8' });
  return Number(out.trim()) / 1024 / 1024;
}

describe('the build processes memory', () => {
  it('caps each Node process of the build at BUILD_HEAP_MB, instead of Evidence CLI 4 096 MB', () => {
    const env = evidenceEnv('/tmp/w.duckdb', { PATH: process.env.PATH });
    const limit = heapLimitMb(env);
    // V8 adds its young generation to the old-space limit: within 100 MB of the cap, far below 4 096.
    expect(limit).toBeGreaterThanOrEqual(BUILD_HEAP_MB);
    expect(limit).toBeLessThan(BUILD_HEAP_MB + 100);
    expect(env.GOMEMLIMIT).toBe('256MiB');
  });

  it('keeps a heap limit and other options the caller set in NODE_OPTIONS', () => {
    const env = evidenceEnv('/tmp/w.duckdb', { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=3000 --no-warnings', GOMEMLIMIT: '1GiB' });
    expect(env.NODE_OPTIONS).toBe('--max-old-space-size=3000 --no-warnings');
    expect(env.GOMEMLIMIT).toBe('1GiB');
    expect(heapLimitMb(env)).toBeGreaterThanOrEqual(3000);
    expect(evidenceEnv('/tmp/w.duckdb', { NODE_OPTIONS: '--no-warnings' }).NODE_OPTIONS).toBe(`--no-warnings --max-old-space-size=${BUILD_HEAP_MB}`);
  });
});
