/**
 * The Vite configuration of `evidence build`: Evidence's own (`.evidence/template/vite.config.js`, which Evidence
 * copies from its package before every build) plus the `tj-build-memory` plugin (tj-evidence-offline/build-memory.js).
 * `pipelines/site.ts` passes this file to the build (`evidence build:strict --config <this file>`: Evidence hands
 * options it does not know to `vite build`), and SvelteKit reads the same file again for its client build, which it
 * starts from the server build's `writeBundle` hook.
 *
 * Evidence's file is imported afresh for each of the two builds (a query string defeats Node's module cache): its
 * `sveltekit()` plugins keep per-build state and must not be shared between the server and the client build, as
 * Vite's own loading of a config file guarantees.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildMemory } from './build-memory.js';

const url = pathToFileURL(join(process.cwd(), 'vite.config.js'));
url.search = `build=${Date.now()}-${Math.random()}`;
const config = (await import(url.href)).default;

export default { ...config, plugins: [...config.plugins, buildMemory()] };
