import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './log.js';
import { projectRoot } from './paths.js';

/**
 * Where SvelteKit writes each page as it prerenders it during `evidence build` (then copied to ./build): counting its
 * HTML files while the build runs tells how far the build is.
 */
export const PRERENDERED_PAGES_DIR = join(projectRoot, '.evidence', 'template', '.svelte-kit', 'output', 'prerendered', 'pages');

/** HTML pages under a folder (0 when it does not exist). */
export function countPages(dir: string): number {
  if (!existsSync(dir)) return 0;
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.html')).length;
}

/**
 * Logs `build progress pages_done=… pages_expected=…` every `intervalMs` while the count of prerendered pages
 * changes (the build itself prints nothing for minutes). The expected total is the previous build's page count
 * (0 on a first build). Returns the function that stops the watch.
 */
export function watchBuildProgress(opts: { dir?: string; expected: number; log: Logger; intervalMs?: number }): () => void {
  const dir = opts.dir ?? PRERENDERED_PAGES_DIR;
  let last = -1;
  const timer = setInterval(() => {
    const done = countPages(dir);
    if (done === last) return;
    last = done;
    opts.log.info('build progress', { pages_done: done, pages_expected: opts.expected || 'unknown' });
  }, opts.intervalMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
