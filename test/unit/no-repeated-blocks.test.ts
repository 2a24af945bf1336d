/**
 * No block of six or more lines is repeated within pipelines/ (issue 15, "Must show"): the same lines, or lines of
 * the same shape with other names, strings and numbers. Checked with the `duplicates` command (a code reader on the
 * developers' machines, not an npm package: `duplicates --repo pipelines`); where it is not installed (a clean CI
 * clone) this test is skipped and the check is the reviewer's (docs/pipelines.md, "Repetition").
 *
 * The pairs it still reports are listed below, each with why it stays; a new pair fails the test, and so does a
 * listed pair that is gone (take it off the list).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../pipelines/paths.js';

const available = spawnSync('duplicates', ['--help'], { encoding: 'utf8' }).status === 0;

/** `a ~ b` by file (line numbers move with every edit), each pair in the tool's order. */
const REMAINING: Record<string, string> = {};

describe('repetition in pipelines/', () => {
  it.skipIf(!available)('no block of six or more lines is repeated, but the listed pairs', () => {
    const run = spawnSync('duplicates', ['--repo', join(projectRoot, 'pipelines'), '--most', '200', '--seconds', '300'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/^incomplete:/m);
    const pairs = [...run.stdout.matchAll(/^D\d+ (\S+?):\d+-\d+ ~ (\S+?):\d+-\d+/gm)].map((m) => `${m[1]} ~ ${m[2]}`);
    expect([...new Set(pairs)].sort()).toEqual(Object.keys(REMAINING).sort());
  }, 400_000);
});
