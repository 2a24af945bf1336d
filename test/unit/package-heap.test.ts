import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../pipelines/paths.js';

describe('bench/package-heap: what one package costs Rollup while it bundles', () => {
  it('measures a one-module icon barrel as far heavier than a small package, with module counts', () => {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/package-heap.ts', 'nanoid', '@steeze-ui/tabler-icons'], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    const rows = Object.fromEntries(
      [...out.matchAll(/^(\S+)\s+(\d+) modules\s+(\d+) MB live heap/gm)].map(([, spec, modules, mb]) => [spec, { modules: Number(modules), mb: Number(mb) }]),
    );
    expect(rows['@steeze-ui/tabler-icons']?.modules).toBeLessThanOrEqual(3);
    // every tabler icon as one module of 2.5 MB: its AST is > 50 MB of live heap
    expect(rows['@steeze-ui/tabler-icons']!.mb).toBeGreaterThan(50);
    expect(rows['nanoid']!.mb).toBeLessThan(rows['@steeze-ui/tabler-icons']!.mb / 5);
  });

  it('refuses to measure without a full GC available', () => {
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'bench/package-heap.ts', 'nanoid'], { cwd: projectRoot, encoding: 'utf8', stdio: 'pipe' }),
    ).toThrow(/--expose-gc/);
  });
});
