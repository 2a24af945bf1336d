// The data-only refresh's prerender: what SvelteKit's `vite build` does after bundling (its `writeBundle` and
// `closeBundle` hooks in @sveltejs/kit/src/exports/vite/index.js), run against the server and client output the
// previous full build left in .evidence/template/.svelte-kit/output: analyse the routes, prerender every page from the
// new data, write the server manifest and run the adapter (adapter-static, into .evidence/template/build).
// Run by pipelines/site.ts with the template folder as working directory, in Evidence's build environment, and
// only when pipelines/site-bundles.ts found the bundles intact and SvelteKit at the version these internals are
// from (KIT_VERSION); plain JavaScript, because SvelteKit's prerender worker loads this process's modules as they are.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [kitDir, expectedVersion] = process.argv.slice(2);
if (!kitDir || !expectedVersion) throw new Error('usage: prerender-kept-bundles.js <@sveltejs/kit folder> <version>');
const version = JSON.parse(readFileSync(join(kitDir, 'package.json'), 'utf8')).version;
if (version !== expectedVersion) throw new Error(`SvelteKit ${version} is installed, not ${expectedVersion}`);
const internal = (path) => import(pathToFileURL(join(kitDir, 'src', path)).href);

const { load_config } = await internal('core/config/index.js');
const { default: create_manifest_data } = await internal('core/sync/create_manifest_data/index.js');
const { default: analyse } = await internal('core/postbuild/analyse.js');
const { default: prerender } = await internal('core/postbuild/prerender.js');
const { generate_manifest } = await internal('core/generate_manifest/index.js');
const { adapt } = await internal('core/adapt/index.js');
const { logger } = await internal('core/utils.js');
const { get_env } = await internal('exports/vite/utils.js');
// where the step's time goes, one line per phase (the build's output; docs/operations.md, "A data-only refresh")
let phaseStarted = 0; // performance.now() counts from the process start
const phase = (name) => {
	const now = performance.now();
	console.log(`  data-only ${name}: ${((now - phaseStarted) / 1000).toFixed(1)} s`);
	phaseStarted = now;
};
phase('SvelteKit internals loaded');

const config = await load_config();
const { kit } = config;
const out = `${kit.outDir}/output`;
const mode = 'production';
const log = logger({ verbose: false });
if (existsSync(`${kit.files.serviceWorker}.js`) || existsSync(`${kit.files.serviceWorker}.ts`)) {
	throw new Error('the site has a service worker: only a full build builds it');
}

// the client's static files are data (`evidence sources` writes static/data): Vite copied them next to the app's
// code at the full build; the new ones replace them, the code (_app, Vite's manifest) stays
for (const entry of readdirSync(`${out}/client`)) {
	if (entry !== kit.appDir && entry !== '.vite') rmSync(`${out}/client/${entry}`, { recursive: true, force: true });
}
cpSync(kit.files.assets, `${out}/client`, { recursive: true });
rmSync(`${out}/prerendered`, { recursive: true, force: true });

const server_manifest = JSON.parse(readFileSync(`${out}/server/.vite/manifest.json`, 'utf8'));
const manifest_path = `${out}/server/manifest-full.js`;
const { manifest: kept } = await import(pathToFileURL(manifest_path).href);
const manifest_data = create_manifest_data({ config });
const build_data = {
	app_dir: kit.appDir,
	app_path: `${kit.paths.base.slice(1)}${kit.paths.base ? '/' : ''}${kit.appDir}`,
	manifest_data,
	out_dir: out,
	service_worker: null,
	client: kept._.client,
	server_manifest
};
/** @param {string} file @param {typeof manifest_data.routes} routes */
const writeManifest = (file, routes) =>
	writeFileSync(file, `export const manifest = ${generate_manifest({ build_data, relative_path: '.', routes })};\n`);
// the static files (the data's) are listed in the manifest: written again with the new ones
writeManifest(`${manifest_path}`, manifest_data.routes);

const env = get_env(kit.env, mode);
phase('static files copied, route manifest written');
const metadata = await analyse({ manifest_path, manifest_data, server_manifest, tracked_features: {}, env: { ...env.private, ...env.public } });
phase('routes analysed');
const { prerendered, prerender_map } = await prerender({ out, manifest_path, metadata, verbose: false, env: { ...env.private, ...env.public } });
writeManifest(
	`${out}/server/manifest.js`,
	manifest_data.routes.filter((route) => prerender_map.get(route.id) !== true)
);
phase(`${prerendered.pages.size} pages prerendered`);
await adapt(config, build_data, metadata, prerendered, prerender_map, log, { mode });
phase('adapter');
