import { defineConfig } from 'vitest/config';

/** The heavy files: they open real DuckDB files, run the pipelines, build the site with Evidence, drive Chromium. */
const HEAVY = ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts', 'test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default'],
    // Two workers (vitest's default on our two-core machines is one) for the light unit files; the heavy files
    // below stay one at a time.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    workspace: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: HEAVY } },
      // One file at a time, in one process after the unit files have finished (vitest runs a singleFork project's
      // files in order in one child process, each file with its own fresh modules): the two cores are not
      // thrashed and the Evidence build's memory peak stays alone.
      // test/global-setup.ts: the run's shared folder, where the demo warehouse is built once (test/README.md);
      // test/restore-env.ts: each file's changes to process.env are undone when it ends.
      { extends: true, test: { name: 'heavy', include: HEAVY, globalSetup: ['test/global-setup.ts'], setupFiles: ['test/restore-env.ts'], poolOptions: { forks: { singleFork: true } } } },
    ],
  },
});
