// The built pages carry their prerendered query results, or name them for the browser to preload (pipelines/site-preload.ts).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preloadLinks, preloadPrerenderedQueries } from '../../pipelines/site-preload.js';
import { tempDir } from '../helpers/tmp.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const page = (routeId: string) =>
  `<html><head><title>x</title></head><body><script type="application/json" data-sveltekit-fetched data-url="/api/${routeId}/evidencemeta.json">{}</script></body></html>`;

function write(dir: string, file: string, text: string) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

describe('prerendered query results in the page', () => {
  it('names the manifest, the page\'s query list and the results it lists (once each, existing files only), for plain and parameter routes', () => {
    const tmp = tempDir('tj-preload-');
    try {
      const d = tmp.dir;
      write(d, 'data/manifest.json', '{}');
      write(d, 'index.html', page('/'));
      write(d, 'indikaattorit/sairastavuus/index.html', page('/indikaattorit/[indicator]'));
      write(d, 'tila/index.html', '<html><head></head><body>no layout data</body></html>');
      const root = `api/${md5('/')}/${md5('')}/all-queries.json`;
      write(d, root, JSON.stringify({ a_data: 'h1', a_columns: 'h2', b_data: 'h1', gone: 'h3' }));
      const ind = `api/${md5('/indikaattorit/[indicator]')}/${md5('indicator\x1Fsairastavuus')}/all-queries.json`;
      write(d, ind, JSON.stringify({ ind_data: 'h4' }));
      for (const h of ['h1', 'h2', 'h4']) write(d, `api/prerendered_queries/${h}.arrow`, `x<${h}`);

      expect(preloadLinks(d, 'index.html', page('/'))).toEqual([
        '/data/manifest.json', `/${root}`, '/api/prerendered_queries/h1.arrow', '/api/prerendered_queries/h2.arrow',
      ]);
      expect(preloadLinks(d, 'indikaattorit/sairastavuus/index.html', page('/indikaattorit/[indicator]'))).toEqual([
        '/data/manifest.json', `/${ind}`, '/api/prerendered_queries/h4.arrow',
      ]);
      // a page of another route than its path says is left alone
      expect(preloadLinks(d, 'tila/index.html', page('/indikaattorit/[indicator]'))).toEqual([]);

      expect(preloadPrerenderedQueries(d)).toBe(2);
      const html = readFileSync(join(d, 'index.html'), 'utf8');
      // the manifest (fetched outside SvelteKit) is preloaded; the query list and each distinct result are in the
      // page as the responses SvelteKit's client reads for the layout's fetches (binary ones base64, data-b64)
      expect(html).toContain('<link rel="preload" as="fetch" crossorigin="anonymous" href="/data/manifest.json">');
      expect(html).toContain(
        `<script type="application/json" data-sveltekit-fetched data-url="/${root}">${JSON.stringify({ status: 200, statusText: '', headers: {}, body: readFileSync(join(d, root), 'utf8') })}</script>`,
      );
      expect(html).toContain(
        `<script type="application/json" data-sveltekit-fetched data-url="/api/prerendered_queries/h2.arrow" data-b64>{"status":200,"statusText":"","headers":{},"body":"${Buffer.from('x<h2').toString('base64')}"}</script>`,
      );
      expect(html.match(/prerendered_queries\/h1\.arrow/g)).toHaveLength(1);
      expect(html).not.toContain('h3.arrow');
      expect(readFileSync(join(d, 'tila/index.html'), 'utf8')).not.toContain('preload');
      // a second pass changes nothing
      expect(preloadPrerenderedQueries(d)).toBe(0);
      expect(readFileSync(join(d, 'index.html'), 'utf8')).toBe(html);
    } finally {
      tmp.cleanup();
    }
  });

  it('names the results for preloading instead when together they pass the limit, and a `<` in a text response cannot end the script', () => {
    const tmp = tempDir('tj-preload-');
    try {
      const d = join(tmp.dir, 'site');
      write(d, 'data/manifest.json', '{}');
      write(d, 'index.html', page('/'));
      const root = `api/${md5('/')}/${md5('')}/all-queries.json`;
      write(d, root, JSON.stringify({ '</script><b>': 'h1' }));
      write(d, 'api/prerendered_queries/h1.arrow', 'x'.repeat(100));
      const big = join(tmp.dir, 'big');
      cpSync(d, big, { recursive: true });

      expect(preloadPrerenderedQueries(big, 50)).toBe(1);
      const preloaded = readFileSync(join(big, 'index.html'), 'utf8');
      for (const href of ['/data/manifest.json', `/${root}`, '/api/prerendered_queries/h1.arrow']) {
        expect(preloaded).toContain(`<link rel="preload" as="fetch" crossorigin="anonymous" href="${href}">`);
      }
      expect(preloaded).not.toContain('data-b64');

      expect(preloadPrerenderedQueries(d, 200)).toBe(1);
      const inlined = readFileSync(join(d, 'index.html'), 'utf8');
      expect(inlined).not.toContain('</script><b>');
      const list = /data-url="\/api\/[^"]*all-queries\.json">(.*?)<\/script>/.exec(inlined)?.[1] ?? '';
      expect(JSON.parse(JSON.parse(list).body)).toEqual({ '</script><b>': 'h1' });
    } finally {
      tmp.cleanup();
    }
  });
});
