import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS module of the Evidence offline module
import { buildMemory, collectGarbage, isRootLayout, lazyServerDatabase, terminateSvelteKitWorkers } from 'tj-evidence-offline/build-memory.js';
import { Worker } from 'node:worker_threads';

const layoutFile = join(process.cwd(), 'node_modules', '@evidence-dev', 'evidence', 'template', 'src', 'pages', '+layout.js');
const layout = readFileSync(layoutFile, 'utf8');

/** The rewritten statement run as it runs in the layout module, with a loadDB that counts its calls. */
function runStatement(statement: string, loadDB: () => Promise<string>): PromiseLike<string> {
  const module = new Function('profile', 'loadDB', `${statement}\nreturn database_initialization;`) as (
    profile: (f: () => Promise<string>) => Promise<string>,
    load: () => Promise<string>,
  ) => PromiseLike<string>;
  return module((f) => f(), loadDB);
}

describe('tj-evidence-offline/build-memory: the server build starts Evidence’s database at the first load', () => {
  const lazy: string = lazyServerDatabase(layout, layoutFile);
  const statement = lazy.split('\n').filter((l) => /database_started|^\/\/ tj-build-memory/.test(l.trim())).join('\n');

  it('rewrites only the eager start in the installed Evidence layout', () => {
    expect(layout).toContain('const database_initialization = profile(loadDB);');
    expect(lazy).not.toContain('const database_initialization = profile(loadDB);');
    // every other line is Evidence's, unchanged
    const removed = layout.split('\n').filter((l) => !lazy.split('\n').includes(l));
    expect(removed).toEqual(['const database_initialization = profile(loadDB);']);
  });

  it('does not start the database at import; the first await starts it once, later awaits share it', async () => {
    let calls = 0;
    const init = runStatement(statement, async () => `db ${++calls}`);
    expect(calls).toBe(0);
    expect(await init).toBe('db 1');
    expect(await init).toBe('db 1');
    expect(await (async () => init)()).toBe('db 1'); // returned from an async load(), as __db.load() does
    expect(calls).toBe(1);
  });

  it('passes a failed start on to every await', async () => {
    const init = runStatement(statement, async () => {
      throw new Error('no manifest');
    });
    await expect((async () => await init)()).rejects.toThrow('no manifest');
    await expect((async () => await init)()).rejects.toThrow('no manifest');
  });

  it('fails naming the file when Evidence’s layout no longer has the statement', () => {
    expect(() => lazyServerDatabase('const x = 1;', 'src/pages/+layout.js')).toThrow(
      /^src\/pages\/\+layout\.js: Evidence's root layout no longer starts its database/,
    );
  });

  it('transforms the root layout of the server build only', () => {
    const plugin = buildMemory();
    const id = '/p/.evidence/template/src/pages/+layout.js';
    expect(isRootLayout(id)).toBe(true);
    expect(isRootLayout('/p/.evidence/template/src/pages/area/+layout.js')).toBe(false);
    expect(plugin.transform(layout, id, { ssr: false })).toBeNull();
    expect(plugin.transform(layout, '/p/.evidence/template/src/pages/x.js', { ssr: true })).toBeNull();
    expect(plugin.transform(layout, id, { ssr: true }).code).toBe(lazy);
  });

  it('collectGarbage frees unreferenced memory of this process at once', () => {
    let garbage: number[][] | undefined = Array.from({ length: 200 }, () => Array.from({ length: 50_000 }, (_, i) => i + 0.5));
    collectGarbage();
    const held = process.memoryUsage().heapUsed;
    expect(garbage.length).toBe(200);
    garbage = undefined;
    collectGarbage();
    expect(held - process.memoryUsage().heapUsed).toBeGreaterThan(50 * 1048576);
  });

  it('collectGarbage gives the freed pages back: the committed heap shrinks to what is live, fragmented or not', () => {
    let all: { j: number; s: string }[][] | undefined = Array.from({ length: 400 }, () => Array.from({ length: 10_000 }, (_, j) => ({ j, s: `x${j}` })));
    // one object in six stays alive on every page: a plain full collection frees the rest but keeps the pages
    const kept = all.map((a) => a.filter((_, j) => j % 6 === 0));
    all = undefined;
    collectGarbage();
    const { used_heap_size: used, total_heap_size: committed } = v8.getHeapStatistics();
    expect(kept).toHaveLength(400);
    expect(committed - used).toBeLessThan(64 * 1048576);
  });

  it('collectGarbage("sparse") gives back the sparsest pages without compacting every page', () => {
    let all: { j: number; s: string }[][] | undefined = Array.from({ length: 400 }, () => Array.from({ length: 10_000 }, (_, j) => ({ j, s: `x${j}` })));
    const kept = all.map((a) => a.filter((_, j) => j % 3 === 0));
    all = undefined;
    collectGarbage(false);
    const plain = v8.getHeapStatistics();
    collectGarbage('sparse');
    const sparse = v8.getHeapStatistics();
    expect(kept).toHaveLength(400);
    // a plain collection leaves the pages; the sparse ones give back part of what is free, not all of it
    const free = plain.total_heap_size - plain.used_heap_size;
    expect(free).toBeGreaterThan(100 * 1048576);
    expect(plain.total_heap_size - sparse.total_heap_size).toBeGreaterThan(free * 0.3) // one more plain collection gives back about 15 %, these about half;
  });

  it('resolves the brand icons to an empty module (Header imports them only for social links, which the layout never passes)', () => {
    const plugin = buildMemory();
    for (const ssr of [true, false]) {
      expect(plugin.resolveId('@steeze-ui/simple-icons', '/p/Header.svelte', { ssr })).toBe('\0tj-no-brand-icons');
    }
    expect(plugin.load('\0tj-no-brand-icons')).toBe('export {};');
    expect(plugin.load('/p/Header.svelte')).toBeNull();
    expect(plugin.resolveId('@steeze-ui/tabler-icons', '/p/Header.svelte', { ssr: true })).toBeNull();
  });

  it('the layout Evidence builds passes Header no social link, so its brand icons are never imported', () => {
    const template = join(process.cwd(), 'node_modules', '@evidence-dev', 'evidence', 'template', 'src', 'pages', '+layout.svelte');
    expect(readFileSync(template, 'utf8')).toMatch(/<EvidenceDefaultLayout \{data\}>/);
    const layout = readFileSync(join(process.cwd(), 'node_modules', '@evidence-dev', 'core-components', 'dist', 'organisms', 'layout', 'EvidenceDefaultLayout.svelte'), 'utf8');
    expect(layout).toMatch(/export let githubRepo = undefined;/);
    const header = readFileSync(join(process.cwd(), 'node_modules', '@evidence-dev', 'core-components', 'dist', 'organisms', 'layout', 'header', 'Header.svelte'), 'utf8');
    expect(header).toMatch(/\$: if \(browser && \(githubRepo \|\| xProfile \|\| blueskyProfile \|\| slackCommunity\)\)\s+import\('@steeze-ui\/simple-icons'\)/);
  });
});

describe('tj-evidence-offline/build-memory: SvelteKit’s finished route-analysis and prerender workers are ended', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tj-fork-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fork = pathToFileURL(join(process.cwd(), 'node_modules', '@sveltejs', 'kit', 'src', 'utils', 'fork.js')).href;

  it('a worker of SvelteKit’s forked() ends once it gave its result; other workers that unref stay', async () => {
    // a module that runs its task in a worker thread through SvelteKit's own forked(), as analyse.js and prerender.js do
    writeFileSync(join(dir, 'task.mjs'), `import { forked } from ${JSON.stringify(fork)};\nexport default forked(import.meta.url, async (n) => n * 2);\n`);
    const exits: number[] = [];
    terminateSvelteKitWorkers(() => exits.push(1));
    const task = (await import(pathToFileURL(join(dir, 'task.mjs')).href)).default as (n: number) => Promise<number>;
    expect(await task(21)).toBe(42);
    await expect.poll(() => exits.length, { timeout: 10_000 }).toBe(1);

    const other = new Worker('require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m + 1))', { eval: true });
    other.unref();
    const answer = new Promise((resolve) => other.once('message', resolve));
    other.postMessage(1);
    expect(await answer).toBe(2); // still running after unref()
    await other.terminate();
    expect(exits).toHaveLength(1);
  });
});

describe('tj-evidence-offline/vite-build.config.js: Evidence’s Vite config plus tj-build-memory, loaded as Vite loads it', () => {
  const configFile = join(process.cwd(), 'evidence-offline', 'vite-build.config.js');
  const vite = pathToFileURL(join(process.cwd(), 'node_modules', 'vite', 'dist', 'node', 'index.js')).href;
  const template = mkdtempSync(join(tmpdir(), 'tj-template-'));
  afterAll(() => rmSync(template, { recursive: true, force: true }));

  it('imports the template’s vite.config.js from the folder Vite runs in, afresh for each load, and adds the plugin last', () => {
    // a template config whose plugin is a new object at every evaluation, as Evidence's sveltekit() is
    writeFileSync(join(template, 'vite.config.js'), `export default { plugins: [{ name: 'evidence-' + Math.random() }], build: { minify: true } };\n`);
    writeFileSync(join(template, 'package.json'), '{"type":"module"}');
    const script = `
      const { loadConfigFromFile } = await import(${JSON.stringify(vite)});
      const load = () => loadConfigFromFile({ command: 'build', mode: 'production' }, ${JSON.stringify(configFile)}, process.cwd(), 'silent');
      const [a, b] = [await load(), await load()];
      console.log(JSON.stringify({ a: a.config.plugins.map((p) => p.name), b: b.config.plugins.map((p) => p.name), minify: a.config.build.minify }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: template, encoding: 'utf8' });
    const { a, b, minify } = JSON.parse(out.trim().split('\n').pop()!) as { a: string[]; b: string[]; minify: boolean };
    expect(minify).toBe(true);
    expect(a).toHaveLength(2);
    expect(a[0]).toMatch(/^evidence-0\./);
    expect(a[1]).toBe('tj-build-memory');
    expect(b[1]).toBe('tj-build-memory');
    expect(b[0]).not.toBe(a[0]); // evaluated again: the server and the client build do not share plugin state
  });
});
