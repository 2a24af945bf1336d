/**
 * The import structure of pipelines/ (docs/pipelines.md, "Layers"): read with TypeScript's own parser
 * (ts.preProcessFile, type-only imports included), no import circle anywhere, and no module imports one of a higher
 * layer. A new file must be placed in a layer below; a file no layer claims fails the test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../pipelines/paths.js';

const PIPELINES = join(projectRoot, 'pipelines');

/** Lowest first. A module may import modules of its own layer (without a circle) and of layers below. */
export const LAYERS: { name: string; files: RegExp }[] = [
  { name: 'foundation', files: /^(paths|log|safe-text|warehouse|csv|seeded-random|cron|retry|processes|yaml-file)\.ts$/ },
  { name: 'settings', files: /^settings\// },
  { name: 'domain', files: /^(regions|sotkanet|service-use|population|unit-data|plan|commentary|scorecard|roadmap|foresight|disclosure|contracts|models|demo|ingest|auth)\// },
  { name: 'jobs', files: /^jobs\// },
  { name: 'runner', files: /^(runner|run-records|job-attempt|site|site-compression|site-messages|site-preload|site-data-language|site-empty-sources|site-bundles|site-sources|site-prerender|build-progress)\.ts$/ },
  { name: 'ops', files: /^ops\/(lock|alerts|progress|publish)\.ts$/ },
  { name: 'ops orchestration', files: /^ops\// },
  { name: 'cli', files: /^(cli|importers)\.ts$/ },
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Module (path relative to pipelines/) → the modules of pipelines/ it imports. */
export function importGraph(root = PIPELINES): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    graph.set(relative(root, file), [...new Set(deps)]);
  }
  return graph;
}

/** Every import circle (as a path a → … → a), found by depth-first search. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

export const layerOf = (module: string): number => LAYERS.findIndex((l) => l.files.test(module));

/** Imports from a module into a module of a higher layer, as "a (layer) → b (layer)". */
export function upwardImports(graph: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const [module, deps] of graph) {
    for (const dep of deps) {
      const from = layerOf(module);
      const to = layerOf(dep);
      if (to > from) problems.push(`${module} (${LAYERS[from]?.name}) → ${dep} (${LAYERS[to]?.name})`);
    }
  }
  return problems.sort();
}

describe('import layering of pipelines/', () => {
  const graph = importGraph();

  it('places every module in a layer', () => {
    expect([...graph.keys()].filter((m) => layerOf(m) < 0)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(findCycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('has no import from a lower layer into a higher one (ops/, jobs/, the CLI)', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('imports only files that exist', () => {
    const missing = [...graph].flatMap(([m, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${m} → ${d}`));
    expect(missing).toEqual([]);
  });

  it('finds a circle and an upward import when there is one (the checks can fail)', () => {
    const bad = new Map([
      ['warehouse.ts', ['jobs/marts.ts']],
      ['jobs/marts.ts', ['warehouse.ts']],
      ['ops/lock.ts', ['runner.ts']],
      ['runner.ts', ['ops/progress.ts']],
    ]);
    expect(findCycles(bad).map((c) => c.join(' → '))).toEqual(['jobs/marts.ts → warehouse.ts → jobs/marts.ts']);
    expect(upwardImports(bad)).toEqual(['runner.ts (runner) → ops/progress.ts (ops)', 'warehouse.ts (foundation) → jobs/marts.ts (jobs)']);
  });
});
