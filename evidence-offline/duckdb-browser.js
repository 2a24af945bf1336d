// Evidence's browser query engine (universal-sql's client-duckdb/browser.js redirects here,
// patches/@evidence-dev+universal-sql+3.0.1.patch), offline and lazy:
// - duckdb-wasm's read_parquet would download the parquet extension from extensions.duckdb.org; instead the parquet
//   files are fetched from the site itself, decoded with parquet-wasm and loaded as Arrow tables;
// - the engine (about 7 MB compressed) starts at the first query in the browser, or at the user's first touch of the
//   page (a dropdown is about to change a query), never on a page whose results are all prerendered: the queries of
//   prerendered dropdowns wait for the engine instead of starting it (isDropdownQuery);
// - a table is fetched the first time a query names it (lazy-tables.js).

import { AsyncDuckDB, ConsoleLogger, getPlatformFeatures, VoidLogger } from '@duckdb/duckdb-wasm';
import { createLazyTables, isDropdownQuery, parquetIPC, queryWithTables } from './lazy-tables.js';

const PRERENDERED = !import.meta.env.DEV && import.meta.env.VITE_EVIDENCE_SPA !== 'true';

/** @type {Promise<typeof import('parquet-wasm/esm/arrow1.js')> | undefined} */
let parquetWasm;
function loadParquetWasm() {
	parquetWasm ??= (async () => {
		const mod = await import('parquet-wasm/esm/arrow1.js');
		const wasmUrl = (await import('parquet-wasm/esm/arrow1_bg.wasm?url')).default;
		await mod.default(wasmUrl);
		return mod;
	})();
	return parquetWasm;
}

/**
 * Evidence's engine API (initDB, updateSearchPath, emptyDbFs, setParquetURLs, query) over one lazily started
 * duckdb-wasm. `helpers` are universal-sql's own (both.js), passed in by the redirecting file.
 * @param {{
 *   arrowTableToJSON: (table: unknown) => Record<string, unknown>[],
 *   getPromise: () => { resolve: (v?: unknown) => void, reject: (e: unknown) => void, promise: Promise<unknown> },
 *   withTimeout: <T>(p: Promise<T>) => Promise<T>
 * }} helpers
 */
export function createBrowserEngine({ arrowTableToJSON, getPromise, withTimeout }) {
	/** @type {import('@duckdb/duckdb-wasm').AsyncDuckDB | undefined} */
	let db;
	/** @type {import('@duckdb/duckdb-wasm').AsyncDuckDBConnection} */
	let connection;
	/** @type {Promise<void> | undefined} */
	let starting;
	/** @type {string[]} applied when the engine starts */
	let searchPath = [];
	let warmUpArmed = false;
	const { resolve: resolveTables, promise: tablesPromise } = getPromise();
	/** resolved when something really starts the engine (a query, the user's first touch) */
	const { resolve: resolveStartWanted, promise: startWanted } = getPromise();

	const tables = createLazyTables({
		connection: async () => {
			await startDB();
			return connection;
		},
		fetchParquet: async (url) => {
			const response = await fetch(url);
			if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
			return new Uint8Array(await response.arrayBuffer());
		},
		decodeParquet: async (bytes) => parquetIPC((await loadParquetWasm()).readParquet(bytes)),
		fetchSchema: async (url) => {
			const response = await fetch(url);
			if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
			return response.json();
		},
		onError: (message, e) => console.error(message, e)
	});

	/** The schemas of the search path exist before their tables are loaded. */
	async function applySearchPath() {
		if (!searchPath.length) return;
		for (const schema of searchPath) await connection.query(`CREATE SCHEMA IF NOT EXISTS "${schema}";`);
		await connection.query(`PRAGMA search_path='${searchPath.join(',')}'`);
	}

	/** Starts the engine once; later calls wait for the same start (no timeout: it may be downloading). */
	function startDB() {
		resolveStartWanted();
		starting ??= (async () => {
			const useEh = await getPlatformFeatures().then((x) => x.wasmExceptions);
			const config = useEh
				? {
						mainModule: (await import('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url')).default,
						mainWorker: (await import('@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?worker')).default
					}
				: {
						mainModule: (await import('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url')).default,
						mainWorker: (await import('@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?worker')).default
					};
			const logger = import.meta.env.VITE_EVIDENCE_DEBUG ? new ConsoleLogger() : new VoidLogger();
			const started = new AsyncDuckDB(logger, new config.mainWorker());
			window[Symbol.for('EVIDENCE_QUERY_ENGINE')] = started;
			await started.instantiate(config.mainModule);
			await started.open({
				query: { castBigIntToDouble: true, castTimestampToDate: true, castDecimalToDouble: true, castDurationToTime64: true }
			});
			connection = await started.connect();
			// https://duckdb.org/2024/09/09/announcing-duckdb-110.html#breaking-sql-changes
			await connection.query('SET ieee_floating_point_ops = false;');
			// https://duckdb.org/2024/02/13/announcing-duckdb-0100.html#breaking-sql-changes
			await connection.query('SET old_implicit_casting = true;');
			db = started;
			await applySearchPath();
		})();
		return starting;
	}

	return {
		/** The layout asks for the engine at page start: only arm the warm-up on the user's first touch. */
		async initDB() {
			if (typeof window === 'undefined' || warmUpArmed) return;
			warmUpArmed = true;
			const warm = () => startDB().catch(() => {});
			for (const type of ['pointerdown', 'keydown', 'focusin']) {
				window.addEventListener(type, warm, { once: true, capture: true, passive: true });
			}
		},
		/** @param {string[]} schemas */
		async updateSearchPath(schemas) {
			searchPath = schemas;
			if (db) await applySearchPath();
		},
		/** @param {string} targetGlob */
		async emptyDbFs(targetGlob) {
			if (!db) return;
			await db.flushFiles();
			for (const f of await db.globFiles(targetGlob)) await db.dropFile(f.fileName);
		},
		/**
		 * Notes the parquet files; nothing is fetched until a query names a table.
		 * @param {Record<string, string[]>} urls
		 * @param {{ append?: boolean, addBasePath?: (path: string) => string }} [options]
		 */
		async setParquetURLs(urls, options = {}) {
			if (import.meta.env.VITE_EVIDENCE_DEBUG) console.debug('Updating Parquet URLs');
			tables.note(urls, options);
			resolveTables();
		},
		/** @param {string} sql */
		async query(sql) {
			await withTimeout(tablesPromise);
			// only a prerendered site's dropdowns come with their options (evidence dev and SPA builds have none)
			if (PRERENDERED && isDropdownQuery(sql)) await startWanted;
			await startDB();
			return queryWithTables(tables, sql, () => connection.query(sql).then(arrowTableToJSON));
		}
	};
}
