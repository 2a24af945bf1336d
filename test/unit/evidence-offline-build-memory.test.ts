import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
