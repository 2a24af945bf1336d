import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countPages, watchBuildProgress } from '../../pipelines/build-progress.js';
import { createLogger } from '../../pipelines/log.js';
import { tempDir } from '../helpers/tmp.js';

describe('build progress (pages prerendered so far)', () => {
  it('counts the HTML pages written so far and logs each change with the expected total', async () => {
    const tmp = tempDir('tj-progress-');
    try {
      const dir = join(tmp.dir, 'pages');
      expect(countPages(dir)).toBe(0);
      const lines: string[] = [];
      const stop = watchBuildProgress({ dir, expected: 3, log: createLogger((l) => lines.push(l)), intervalMs: 20 });
      await expect.poll(() => lines.length).toBe(1);
      mkdirSync(join(dir, 'yksikot', 'A1'), { recursive: true });
      writeFileSync(join(dir, 'index.html'), '<html></html>');
      writeFileSync(join(dir, 'yksikot', 'A1', 'index.html'), '<html></html>');
      writeFileSync(join(dir, 'yksikot', 'data.json'), '{}');
      await expect.poll(() => lines.length).toBe(2);
      await new Promise((r) => setTimeout(r, 100)); // no change, no line
      stop();
      expect(lines.length).toBe(2);
      expect(lines[0]).toMatch(/build progress .*pages_done=0 pages_expected=3/);
      expect(lines[1]).toMatch(/build progress .*pages_done=2 pages_expected=3/);
    } finally {
      tmp.cleanup();
    }
  });
});
