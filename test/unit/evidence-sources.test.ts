/** Issue 12 item 5: the site is built from marts only: every Evidence source query reads relations of `marts`. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';

const dir = fromRoot('sources/warehouse');

describe('Evidence source queries', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));

  it('exist', () => expect(files.length).toBeGreaterThan(10));

  it.each(files)('%s reads only marts relations', (file) => {
    const sql = readFileSync(join(dir, file), 'utf8').replace(/--.*$/gm, '');
    const relations = [...sql.matchAll(/\b(?:from|join)\s+([\w."]+)/gi)].map((m) => m[1]!.replace(/"/g, ''));
    expect(relations.length).toBeGreaterThan(0);
    for (const r of relations) expect(r, `${file}: ${r}`).toMatch(/^marts\.\w+$/);
  });
});
