// The build's memory limits (pipelines/site.ts): every Node process Evidence starts gets the heap limit from
// NODE_OPTIONS, checked here in a real child process; a limit the caller set is kept; a process that runs out of
// the limit is run again with a larger one (real Node processes that fill their heap).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../pipelines/log.js';
import { BUILD_HEAP_MB, evidenceEnv, HeapLimitError, runBuildProcess, withHeapFallback } from '../../pipelines/site.js';

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

/** A Node process that keeps 600 MB of arrays alive: it fits a 4 096 MB heap, not a 200 MB one. */
const NEEDS_600_MB = ['-e', 'const keep = []; for (let i = 0; i < 600; i++) keep.push(new Array(1 << 17).fill(i + 0.5)); console.log(keep.length)'];

describe('a build process that runs out of its heap', () => {
  it('fails with HeapLimitError naming the command, and other failures with a plain error', async () => {
    const log = createLogger(() => {});
    const env = { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=200' };
    const oom = runBuildProcess(process.execPath, NEEDS_600_MB, env, log, 60_000);
    await expect(oom).rejects.toThrow(HeapLimitError);
    await expect(oom).rejects.toThrow(/node -e .* ran out of its V8 heap/);
    const other = runBuildProcess(process.execPath, ['-e', 'process.exit(3)'], env, log, 60_000);
    await expect(other).rejects.toThrow(/failed \(exit 3\)/);
    await expect(other).rejects.not.toThrow(HeapLimitError);
  }, 60_000);

  it('runs it again with the fallback limit when the limit was the build\'s own, and not when the caller set it', async () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l));
    const run = (env: NodeJS.ProcessEnv) => runBuildProcess(process.execPath, NEEDS_600_MB, env, log, 60_000);
    // The build's own limit, made small here so that the real process overflows it.
    const ours = { PATH: process.env.PATH, NODE_OPTIONS: `--max-old-space-size=${BUILD_HEAP_MB}` };
    await expect(withHeapFallback((env) => run({ ...env, NODE_OPTIONS: env.NODE_OPTIONS!.replace(String(BUILD_HEAP_MB), '200') }), ours, log)).resolves.toBeGreaterThan(0);
    expect(lines.some((l) => /warn build heap limit too small, retrying with a larger one .*retry_mb=4096/.test(l))).toBe(true);
    const callers = { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=200' };
    await expect(withHeapFallback(run, callers, log)).rejects.toThrow(HeapLimitError);
  }, 120_000);
});
