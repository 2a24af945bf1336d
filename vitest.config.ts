import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests open real DuckDB files and the e2e test builds the site: one file at a time keeps the
    // two cores of our machines from thrashing, and keeps the Evidence build's memory peak alone.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
