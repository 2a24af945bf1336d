/**
 * What keeps `vite build`'s memory down (the `tj-build-memory` plugin of `vite-build.config.js`). Measured on the
 * demo (docs/operations.md, "What holds the bundling heap"): the process peaks while the pages are prerendered,
 * holding at once
 *
 * - SvelteKit's route-analysis worker: `analyse` (in `writeBundle` of the server build) imports every server node in
 *   a worker thread that it never terminates (`worker.unref()`), and Evidence's `+layout.js` starts its database at
 *   import (`const database_initialization = profile(loadDB)`): duckdb-wasm compiled and every source's parquet file
 *   loaded into it, in a worker that only reads the pages' `prerender`/`ssr` options. About 480 MB of the process
 *   (two large native regions, 215 + 150 MB, plus the worker's heap) stayed there through the client build and the
 *   prerender. `lazyServerDatabase` makes the server build start the database at the first `load` instead, which
 *   the analysis never calls; the prerender worker starts it at its first page, as before. The browser is unchanged.
 * - the client build's module graph, no longer referenced once the client build returns but not collected: the main
 *   thread is idle while the prerender runs in its worker, and V8 grows a heap up to its limit (4 GB in Evidence)
 *   before it collects. `collectAfterClientBuild` runs one full collection as soon as the client build is closed.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

const EAGER_DATABASE = 'const database_initialization = profile(loadDB);';
const LAZY_DATABASE =
	'let database_started;\n' +
	'// tj-build-memory: started by the first load (an awaited thenable), not when the module is imported\n' +
	'const database_initialization = { then: (ok, fail) => (database_started ??= profile(loadDB)).then(ok, fail) };';

/** Evidence's root layout, in its copy of the template. */
export const isRootLayout = (id) => /[\\/]src[\\/]pages[\\/]\+layout\.js$/.test(id);

/**
 * The server build's root layout with its database started by the first `load` instead of at import.
 * @param {string} code
 * @param {string} file for the error message
 */
export function lazyServerDatabase(code, file) {
	const at = code.indexOf(EAGER_DATABASE);
	if (at < 0 || code.indexOf(EAGER_DATABASE, at + 1) >= 0) {
		throw new Error(
			`${file}: Evidence's root layout no longer starts its database with exactly one \`${EAGER_DATABASE}\`; ` +
				'update lazyServerDatabase in tj-evidence-offline/build-memory.js for this Evidence version'
		);
	}
	return code.slice(0, at) + LAZY_DATABASE + code.slice(at + EAGER_DATABASE.length);
}

/** One full, synchronous garbage collection of this process's main heap. */
export function collectGarbage() {
	v8.setFlagsFromString('--expose-gc');
	/** @type {() => void} */
	const gc = vm.runInNewContext('gc');
	gc();
}

const MB = 1048576;

/**
 * One line of `TJ_BUILD_MEMORY_TRACE`: seconds since the process started, what it marks, resident memory (of it
 * anonymous) and V8's heap (used / committed, of it the large-object space), in MB; measurement only (docs/operations.md).
 * @param {string} file
 * @param {string} mark
 */
function traceLine(file, mark) {
	const status = readFileSync('/proc/self/status', 'utf8');
	const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
	const heap = v8.getHeapStatistics();
	const large = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space');
	const mb = (bytes) => Math.round(bytes / MB);
	appendFileSync(
		file,
		`${process.uptime().toFixed(1)} ${mark} rss=${Math.round(kb('VmRSS') / 1024)} anon=${Math.round(kb('RssAnon') / 1024)} ` +
			`heap=${mb(heap.used_heap_size)}/${mb(heap.total_heap_size)} large=${mb(large?.space_used_size ?? 0)} ` +
			`external=${mb(heap.external_memory)}\n`
	);
}

/**
 * With `TJ_BUILD_MEMORY_TRACE=<file>`, `vite build`'s memory every second and at each phase of both builds
 * (`server:writeBundle` is where SvelteKit starts the client build); nothing otherwise.
 * @param {() => string} build `server` or `client`
 */
function memoryTrace(build) {
	const file = process.env.TJ_BUILD_MEMORY_TRACE;
	if (!file) return {};
	// once per process: Vite bundles this file into each build's config, so module state is not shared
	if (!globalThis.tjBuildMemoryTrace) {
		globalThis.tjBuildMemoryTrace = setInterval(() => traceLine(file, '-'), 1000).unref();
	}
	const mark = (hook) => () => traceLine(file, `${build()}:${hook}`);
	return Object.fromEntries(['buildStart', 'buildEnd', 'renderStart', 'generateBundle', 'writeBundle', 'closeBundle'].map((h) => [h, mark(h)]));
}

/** @returns {import('vite').Plugin} */
export function buildMemory() {
	let ssr = false;
	const trace = memoryTrace(() => (ssr ? 'server' : 'client'));
	return {
		name: 'tj-build-memory',
		apply: 'build',
		enforce: 'pre',
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
		},
		...trace,
		transform(code, id, options) {
			if (!options?.ssr || !isRootLayout(id)) return null;
			return { code: lazyServerDatabase(code, id), map: null };
		},
		closeBundle() {
			trace.closeBundle?.();
			// SvelteKit's client build, started from the server build's writeBundle: once it has returned, its graph is
			// garbage; the timer runs after that, when SvelteKit waits for its prerender worker
			if (!ssr) setTimeout(collectGarbage, 0);
		}
	};
}
