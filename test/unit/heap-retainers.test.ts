import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dominators, formatHeapReport, heapReport, readHeapSnapshot } from '../../bench/heap-retainers.js';

describe('bench/heap-retainers: what holds a heap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tj-heap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the object that retains most of a real V8 heap snapshot, with its id, package and dominator chain', () => {
    const file = join(dir, 'x.heapsnapshot');
    // A process whose heap is dominated by one Rollup-like module object (an AST of 200 000 nodes) held by a graph,
    // next to a smaller one, with strings that need JSON unescaping in the snapshot.
    const script = `
      class Module { constructor(id, n) { this.id = id; this.ast = Array.from({ length: n }, (_, i) => ({ i, s: 'é"\\\\' })); } }
      class Graph { constructor() { this.modules = [new Module('/p/node_modules/echarts/index.js', 200000), new Module('/p/node_modules/@evidence-dev/sdk/x.js', 20000)]; } }
      globalThis.graph = new Graph();
      require('v8').writeHeapSnapshot(${JSON.stringify(file)});`;
    execFileSync(process.execPath, ['-e', script]);
    const g = readHeapSnapshot(file);
    const report = heapReport(g, dominators(g), 20);
    const echarts = report.bundlerByPackage.find((x) => x.key === 'Module echarts');
    const sdk = report.bundlerByPackage.find((x) => x.key === 'Module @evidence-dev/sdk');
    expect(echarts?.count).toBe(1);
    expect(sdk?.count).toBe(1);
    // 200 000 objects of at least 16 bytes each, and ten times the smaller module
    expect(echarts!.mb).toBeGreaterThan(3);
    expect(echarts!.mb).toBeGreaterThan(8 * sdk!.mb);
    const graph = report.bundlerByPackage.find((x) => x.key.startsWith('Graph'));
    expect(graph!.mb).toBeGreaterThanOrEqual(echarts!.mb + sdk!.mb);
    const top = report.largest.find((x) => x.label.includes('"Module"'));
    expect(top?.label).toContain('node_modules/echarts/index.js');
    expect(top?.chain.some((c) => c.includes('"Graph"'))).toBe(true);
    expect(report.totalMb).toBeGreaterThan(echarts!.mb);
    expect(formatHeapReport(report)).toContain('Module echarts');
    // read in 1 kB pieces, every number, marker and string crossing piece boundaries: the same graph
    const small = readHeapSnapshot(file, 1024);
    expect(small.strings).toEqual(g.strings);
    expect(heapReport(small, dominators(small), 20)).toEqual(report);
  });
});
