import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';
import { KIT_VERSION, TEMPLATE_DIR } from './site-bundles.js';

const SCRIPT = join(projectRoot, 'pipelines', 'prerender-kept-bundles.js');
const KIT_DIR = join(projectRoot, 'node_modules', '@sveltejs', 'kit');

/**
 * The data-only refresh's site build: pipelines/prerender-kept-bundles.js in the template folder with the environment
 * `evidence build:strict` gives `vite build` (strict mode: a query error fails the build), then what the Evidence CLI
 * does after a successful `vite build` (`nameDataFilesByContent`, then ./build). Returns its duration in ms.
 */
export async function prerenderKeptBundles(opts: {
  env: NodeJS.ProcessEnv;
  /** where the site goes (./build, as `evidence build` leaves it) */
  buildDir: string;
  /** runs a build process to completion in `cwd`, returning its duration in ms (`runBuildProcess` of pipelines/site.ts) */
  run: (bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) => Promise<number>;
}): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    ...opts.env,
    // Evidence's CLI: its memory limit unless the caller set one, and the variables it gives `vite build`
    NODE_OPTIONS: opts.env.NODE_OPTIONS?.includes('--max-old-space-size') ? opts.env.NODE_OPTIONS : `${opts.env.NODE_OPTIONS ?? ''} --max-old-space-size=4096`,
    EVIDENCE_STRICT_MODE: 'true',
    EVIDENCE_IS_BUILDING: 'true',
    EVIDENCE_DATA_URL_PREFIX: opts.env.EVIDENCE_DATA_URL_PREFIX ?? 'static/data',
    EVIDENCE_DATA_DIR: opts.env.EVIDENCE_DATA_DIR ?? './static/data',
  };
  const out = join(TEMPLATE_DIR, 'build');
  const ms = await opts.run(process.execPath, [SCRIPT, KIT_DIR, KIT_VERSION], env, TEMPLATE_DIR);
  if (!existsSync(join(out, 'index.html'))) throw new Error(`the data-only prerender left no index.html in ${out}`);
  nameDataFilesByContent(join(out, 'data'));
  rmSync(opts.buildDir, { recursive: true, force: true });
  try {
    renameSync(out, opts.buildDir);
  } catch {
    cpSync(out, opts.buildDir, { recursive: true });
  }
  return ms;
}

const DataManifest = z.object({ renderedFiles: z.record(z.array(z.string())) }).passthrough();

/**
 * As the Evidence CLI does after `vite build`: each data file the data manifest lists
 * (`<prefix>/<source>/<query>/<file>.parquet`) moves to `<source>/<query>/<md5 of its content>/<file>`, and the
 * manifest names the new path, so a browser never keeps a previous month's file under the same URL.
 */
export function nameDataFilesByContent(dataDir: string): number {
  const manifestFile = join(dataDir, 'manifest.json');
  if (!existsSync(manifestFile)) return 0;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as z.infer<typeof DataManifest>;
  DataManifest.parse(manifest); // checked, and written back as it was read (its keys in their order)
  let moved = 0;
  for (const files of Object.values(manifest.renderedFiles)) {
    files.forEach((url, i) => {
      const onDisk = url.split('/').slice(-3).join('/');
      const from = join(dataDir, onDisk);
      if (!existsSync(from)) return;
      const hash = createHash('md5').update(readFileSync(from)).digest('hex');
      const renamed = posix.join(posix.dirname(onDisk), hash, posix.basename(onDisk));
      mkdirSync(dirname(join(dataDir, renamed)), { recursive: true });
      renameSync(from, join(dataDir, renamed));
      files[i] = url.replace(onDisk, renamed);
      moved++;
    });
  }
  writeFileSync(manifestFile, `${JSON.stringify(manifest)}\n`);
  return moved;
}
