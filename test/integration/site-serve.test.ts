import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressSite } from '../../pipelines/site-compression.js';
import { serveSite, type RunningSite } from '../../pipelines/site.js';
import { tempDir } from '../helpers/tmp.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

/** A built site in miniature: a page, a content-hashed script, a parquet file (already compressed). */
describe('serving the built site: precompressed, cached by kind', () => {
  const tmp = tempDir('tj-serve-');
  const root = join(tmp.dir, 'site');
  const script = `export const rows = [${Array.from({ length: 5000 }, (_, i) => `{ id: ${i}, name: "rivi ${i}" }`).join(', ')}];\n`;
  const page = `<!doctype html><html lang="fi"><body>${'<p>Tiedolla johtaminen</p>'.repeat(200)}</body></html>`;
  let site: RunningSite;

  beforeAll(async () => {
    mkdirSync(join(root, '_app', 'immutable', 'chunks'), { recursive: true });
    mkdirSync(join(root, 'data'), { recursive: true });
    writeFileSync(join(root, 'index.html'), page);
    writeFileSync(join(root, '_app', 'immutable', 'chunks', 'index.abc123.js'), script);
    writeFileSync(join(root, 'data', 'x.parquet'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const summary = await precompressSite(root);
    expect(summary.files).toBe(2); // the page and the script; parquet is never recompressed
    expect(summary.gzipBytes).toBeLessThan(summary.bytes / 3);
    site = await serveSite(root, '127.0.0.1', 0);
  });

  afterAll(async () => {
    await site?.close();
    tmp.cleanup();
  });

  it('sends gzip to a browser that accepts it, and the same bytes decompressed', async () => {
    const url = new URL('_app/immutable/chunks/index.abc123.js', site.url).href;
    const zipped = await get(url, { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(Buffer.byteLength(script) / 3);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(script);
  });

  it('prefers brotli when offered, and sends plain bytes to a client that accepts no encoding', async () => {
    const url = new URL('_app/immutable/chunks/index.abc123.js', site.url).href;
    expect((await get(url, { 'accept-encoding': 'gzip, br' })).headers['content-encoding']).toBe('br');
    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
  });

  it('caches content-hashed assets for a year and revalidates pages and data', async () => {
    const asset = await get(new URL('_app/immutable/chunks/index.abc123.js', site.url).href);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const html = await get(site.url, { 'accept-encoding': 'gzip' });
    expect(html.headers['content-encoding']).toBe('gzip');
    expect(html.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(html.body).toString('utf8')).toBe(page);
    const data = await get(new URL('data/x.parquet', site.url).href, { 'accept-encoding': 'gzip, br' });
    expect(data.headers['content-encoding']).toBeUndefined();
    expect(data.headers['cache-control']).toBe('no-cache');
  });
});
