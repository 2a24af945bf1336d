/**
 * What keeps `vite build`'s memory down (the `tj-build-memory` plugin of `vite-build.config.js`), each measured on the
 * demo (docs/operations.md, "The build's memory and time" and what follows it):
 *
 * - SvelteKit's route-analysis worker: `analyse` (in `writeBundle` of the server build) imports every server node in
 *   a worker thread, and Evidence's `+layout.js` starts its database at import (`const database_initialization =
 *   profile(loadDB)`): duckdb-wasm and every source's parquet file, in a worker that only reads the pages'
 *   `prerender`/`ssr` options. `lazyServerDatabase` makes the server build start the database at the first `load`,
 *   which the analysis never calls; the prerender worker starts it at its first page, as before.
 * - SvelteKit's workers themselves: `forked` (kit/src/utils/fork.js) unrefs a worker once it has its result but never
 *   terminates it, so the analysis worker (every server node imported) stayed through the client build and the
 *   prerender, and the prerender worker (its database) to the end. `terminateSvelteKitWorkers` ends them then.
 * - the heap: one full collection that also compacts before the client build starts (the server build's transform
 *   garbage), then V8 grows the heap by at most 30 % over what a collection left while the client build runs
 *   (`--heap-growing-percent`; by default V8 lets a heap grow towards its limit, 4 GB in Evidence, before it
 *   collects), and after the client build a plain collection and then a few that empty the sparse pages, so that the
 *   pages of the client build's graph go back to the system before the prerender's worker grows (`collectGarbage`).
 * - esbuild, Vite's minifier, a Go process that kept its heap after the client build: stopped then (`stopEsbuild`).
 * - `@steeze-ui/simple-icons`, one 5 MB module of every brand's icon, which Header imports only for social links the
 *   layout never passes: an empty module in both builds (`NO_BRAND_ICONS`).
 *
 * `TJ_BUILD_MEMORY_TRACE=<file>` logs the process's memory every second and at each phase of both builds.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';

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

/** How many full collections `collectGarbage('sparse')` runs: each moves the objects of a few sparse pages only. */
const SPARSE_COLLECTIONS = 5;

/**
 * Full, synchronous garbage collection of this process's main heap. `true`: one that compacts every page, so that V8
 * gives the pages it no longer needs back to the system (a plain full collection frees the objects but keeps most
 * pages: measured in a build, 613 MB live in 1 504 MB of committed heap until V8's memory reducer ran 35 s later);
 * it copies every live object into new pages before it frees the old ones, so it needs that much memory more while it
 * runs. `'sparse'`: a few collections that each empty the sparsest pages only (V8's `--optimize-for-size` choice),
 * without that extra memory; run before a compacting one, they leave it fewer pages to hold while it copies.
 * `false`: one plain collection.
 * @param {boolean | 'sparse'} [compact]
 */
export function collectGarbage(compact = true) {
	v8.setFlagsFromString('--expose-gc');
	/** @type {() => void} */
	const gc = vm.runInNewContext('gc');
	if (!compact) return gc();
	const flag = compact === 'sparse' ? 'optimize-for-size' : 'compact-on-every-full-gc';
	v8.setFlagsFromString(`--${flag}`);
	try {
		for (let i = 0; i < (compact === 'sparse' ? SPARSE_COLLECTIONS : 1); i++) gc();
	} finally {
		v8.setFlagsFromString(`--no-${flag}`);
	}
}

const MB = 1048576;

/**
 * One line of `TJ_BUILD_MEMORY_TRACE`: seconds since the process started, what it marks, resident memory (of it
 * anonymous) and V8's heap (used / committed, of it the large-object space), in MB; measurement only (docs/operations.md).
 * @param {string} file
 * @param {string} mark
 */
function traceLine(file, mark, mappings = false) {
	const status = readFileSync('/proc/self/status', 'utf8');
	const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
	const heap = v8.getHeapStatistics();
	const large = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space');
	const mb = (bytes) => Math.round(bytes / MB);
	appendFileSync(
		file,
		`${process.uptime().toFixed(1)} ${mark} rss=${Math.round(kb('VmRSS') / 1024)} anon=${Math.round(kb('RssAnon') / 1024)} ` +
			`heap=${mb(heap.used_heap_size)}/${mb(heap.total_heap_size)} large=${mb(large?.space_used_size ?? 0)} ` +
			`external=${mb(heap.external_memory)}${mappings ? ` ${largeMappings()}` : ''}\n`
	);
}

/** The resident memory of this process's mappings up to 1 MB and larger, and the six largest (MB). */
function largeMappings() {
	const sizes = { small: 0, large: 0 };
	const top = [];
	let size = 0;
	for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
		const sizeKb = /^Size:\s+(\d+)/.exec(line);
		if (sizeKb) size = Number(sizeKb[1]);
		const rss = /^Rss:\s+(\d+)/.exec(line);
		if (!rss) continue;
		const kb = Number(rss[1]);
		if (size <= 1024) sizes.small += kb;
		else {
			sizes.large += kb;
			top.push(kb);
		}
	}
	top.sort((a, b) => b - a);
	return `maps<=1MB=${Math.round(sizes.small / 1024)} maps>1MB=${Math.round(sizes.large / 1024)} top=${top.slice(0, 6).map((kb) => Math.round(kb / 1024)).join(',')}`;
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
	const mark = (hook) => () => traceLine(file, `${build()}:${hook}`, true);
	return Object.fromEntries(['buildStart', 'buildEnd', 'renderStart', 'generateBundle', 'writeBundle', 'closeBundle'].map((h) => [h, mark(h)]));
}

/** How much V8 may grow the heap over what a collection left while the client build runs (V8's default: up to 4×). */
const CLIENT_BUILD_HEAP_GROWING_PERCENT = 30;
/** What `@steeze-ui/simple-icons` resolves to. */
const NO_BRAND_ICONS = '\0tj-no-brand-icons';
const SVELTEKIT_FORK = /[\\/]@sveltejs[\\/]kit[\\/]src[\\/]utils[\\/]fork\.js/;

/**
 * Ends each worker of SvelteKit's `forked` (kit/src/utils/fork.js) when it is unref'd, i.e. once it has given its
 * result: told from other workers by the caller of `unref()`. Once per thread.
 * @param {(mark: string) => void} onExit called when such a worker has exited
 */
export function terminateSvelteKitWorkers(onExit) {
	const unref = Worker.prototype.unref;
	if (unref.tjTerminates) return;
	const patched = function () {
		unref.call(this);
		if (SVELTEKIT_FORK.test(new Error().stack ?? '')) {
			this.once('exit', () => onExit('worker:exit'));
			void this.terminate();
		}
	};
	patched.tjTerminates = true;
	Worker.prototype.unref = patched;
}

/** Stops the esbuild service Vite started (a later esbuild call would start it again). */
async function stopEsbuild() {
	const require = createRequire(createRequire(import.meta.url).resolve('vite'));
	await require('esbuild').stop();
}

/** @returns {import('vite').Plugin} */
export function buildMemory() {
	let ssr = false;
	const trace = memoryTrace(() => (ssr ? 'server' : 'client'));
	const file = process.env.TJ_BUILD_MEMORY_TRACE;
	const mark = (what) => file && traceLine(file, what, true);
	return {
		name: 'tj-build-memory',
		apply: 'build',
		enforce: 'pre',
		configResolved(config) {
			ssr = Boolean(config.build.ssr);
			if (ssr) terminateSvelteKitWorkers(mark);
		},
		...trace,
		resolveId(source) {
			return source === '@steeze-ui/simple-icons' ? NO_BRAND_ICONS : null;
		},
		load(id) {
			return id === NO_BRAND_ICONS ? 'export {};' : null;
		},
		transform(code, id, options) {
			if (!options?.ssr || !isRootLayout(id)) return null;
			return { code: lazyServerDatabase(code, id), map: null };
		},
		writeBundle() {
			trace.writeBundle?.();
			// the server build's writeBundle runs before SvelteKit's, which analyses the routes and builds the client
			if (!ssr) return;
			collectGarbage();
			mark('server:writeBundle:gc');
			v8.setFlagsFromString(`--heap-growing-percent=${CLIENT_BUILD_HEAP_GROWING_PERCENT}`);
		},
		async closeBundle() {
			trace.closeBundle?.();
			if (ssr) return;
			v8.setFlagsFromString('--heap-growing-percent=0'); // V8's default again for the prerender
			await stopEsbuild();
			// SvelteKit's client build, started from the server build's writeBundle: once it has returned, its graph is
			// garbage; the timers run after that, when SvelteKit waits for its prerender worker. The plain collection frees
			// the graph but keeps most pages; the sparse ones then empty and give back nearly all of them (measured: 569 MB
			// used in 1 486 committed → 616), without the copy of the whole live set a compacting one makes (+480 MB).
			setTimeout(() => {
				collectGarbage(false);
				mark('client:closed:gc-plain');
				setTimeout(() => {
					collectGarbage('sparse');
					mark('client:closed:gc-sparse');
				}, 1000);
			}, 0);
		}
	};
}
