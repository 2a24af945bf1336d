import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS module of the Evidence offline module
import { buildMemory, collectGarbage, isRootLayout, lazyServerDatabase } from 'tj-evidence-offline/build-memory.js';

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
