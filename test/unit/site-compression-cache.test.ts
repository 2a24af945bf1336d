import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { precompressSite } from '../../pipelines/site-compression.js';
import { tempDir } from '../helpers/tmp.js';

describe('precompression with a cache by content (a data-only refresh compresses only what changed)', () => {
  it('takes the copies of unchanged content from the cache, compresses new content, keeps only what the site used', async () => {
    const tmp = tempDir('tj-compress-cache-');
    try {
      const cache = join(tmp.dir, 'cache');
      const code = `export const rows = [${Array.from({ length: 3000 }, (_, i) => `{ id: ${i} }`).join(', ')}];\n`;
      const site = (name: string, page: string) => {
        const root = join(tmp.dir, name);
        mkdirSync(join(root, '_app'), { recursive: true });
        writeFileSync(join(root, '_app', 'app.js'), code);
        writeFileSync(join(root, 'index.html'), page);
        return root;
      };
      const key = (text: string) => createHash('sha256').update(text).digest('hex');
      const first = site('first', `<html>${'<p>kuukausi 1</p>'.repeat(300)}</html>`);
      expect((await precompressSite(first, 4, cache)).files).toBe(2);
      expect(readdirSync(cache).sort()).toEqual([`${key(code)}.br`, `${key(code)}.gz`, ...[`.br`, `.gz`].map((e) => key(readFileSync(join(first, 'index.html'), 'utf8')) + e)].sort());
      expect(brotliDecompressSync(readFileSync(join(first, '_app', 'app.js.br'))).toString('utf8')).toBe(code);

      // the next build: the same code, whose copy comes from the cache (planted there as another valid brotli of the
      // same content, at quality 11, so that only the cache can be its origin), and a new page
      const planted = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      expect(planted.equals(readFileSync(join(cache, `${key(code)}.br`)))).toBe(false);
      writeFileSync(join(cache, `${key(code)}.br`), planted);
      const page2 = `<html>${'<p>kuukausi 2</p>'.repeat(300)}</html>`;
      const second = site('second', page2);
      await precompressSite(second, 4, cache);
      expect(readFileSync(join(second, '_app', 'app.js.br')).equals(planted)).toBe(true);
      expect(brotliDecompressSync(readFileSync(join(second, 'index.html.br'))).toString('utf8')).toBe(page2);
      expect(gunzipSync(readFileSync(join(second, 'index.html.gz'))).toString('utf8')).toBe(page2);
      // the first page's copies left the cache; the code's and the new page's are there
      expect(existsSync(join(cache, `${key(readFileSync(join(first, 'index.html'), 'utf8'))}.br`))).toBe(false);
      expect(readdirSync(cache).sort()).toEqual([`${key(code)}.br`, `${key(code)}.gz`, `${key(page2)}.br`, `${key(page2)}.gz`].sort());
    } finally {
      tmp.cleanup();
    }
  });
});
