/**
 * How much live V8 heap one npm package costs Vite/Rollup while it bundles it for the browser: a plain Vite build of
 * `import * as m from '<package>'` (no Evidence, no Svelte plugin, no minifier), measured after a full GC in
 * `generateBundle`, when Rollup holds the whole module graph with every module's AST. A package's cost is paid in
 * every build whose graph reaches it, whatever tree-shaking keeps.
 *
 *   node --expose-gc --import tsx bench/package-heap.ts echarts @steeze-ui/tabler-icons …
 *
 * It runs one small build per package (seconds each), not an Evidence build.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { projectRoot } from '../pipelines/paths.js';

export interface PackageHeap {
  spec: string;
  modules: number;
  heapMb: number;
  seconds: number;
}

export async function packageHeap(spec: string): Promise<PackageHeap> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc: the heap is measured after a full collection');
  // inside the project, so that the package resolves from its node_modules
  const root = join(projectRoot, '.bench', 'package-heap');
  mkdirSync(root, { recursive: true });
  const entry = join(root, 'entry.js');
  writeFileSync(entry, `import * as m from ${JSON.stringify(spec)};\nglobalThis.m = m;\n`);
  gc();
  const before = process.memoryUsage().heapUsed;
  let atGraph = before;
  let modules = 0;
  const started = performance.now();
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: false, rollupOptions: { input: entry } },
      plugins: [
        {
          name: 'tj-measure-heap',
          generateBundle() {
            modules = [...this.getModuleIds()].length;
            gc();
            atGraph = process.memoryUsage().heapUsed;
          },
        },
      ],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { spec, modules, heapMb: Math.round((atGraph - before) / 1048576), seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const spec of process.argv.slice(2)) {
    const r = await packageHeap(spec);
    console.log(`${r.spec.padEnd(36)} ${String(r.modules).padStart(5)} modules ${String(r.heapMb).padStart(5)} MB live heap ${r.seconds.toFixed(1)} s`);
  }
}
