// Which tables a query needs, and loading each one once. Evidence notes every parquet file of the project at page
// start (setParquetURLs); the browser engine (duckdb-browser.js) loads a table only the first time a query names it,
// so a page that shows one mart never downloads the others. Independent of duckdb-wasm and of the browser: the
// connection, the fetch and the parquet decoder are passed in, so the node tests run it on a real duckdb-wasm.

import { EVIDENCE_TYPE_SQL } from './evidence-types.js';

/** @typedef {{ source: string, table: string, url: string }} NotedTable */
/**
 * @typedef {object} ArrowConnection
 * @property {(sql: string) => any} query
 * @property {(ipc: Uint8Array, options: { schema: string, name: string, create: boolean }) => unknown} insertArrowFromIPCStream
 */

/**
 * The statements that make room for source.table: the schema, and the drop of what holds the name now (Evidence
 * made views; we make tables; DuckDB refuses DROP VIEW on a table and DROP TABLE on a view).
 * @param {{ source: string, table: string }} t
 * @param {string | undefined} existingType information_schema.tables.table_type of the name, if any
 */
export function makeRoomSql({ source, table }, existingType) {
	const name = `"${source}"."${table}"`;
	const drop = existingType === undefined ? [] : [existingType === 'VIEW' ? `DROP VIEW ${name};` : `DROP TABLE ${name};`];
	return [`CREATE SCHEMA IF NOT EXISTS "${source}";`, ...drop];
}

/**
 * The Arrow IPC stream of a parquet file decoded by parquet-wasm, or null when the file has no row groups (an empty
 * source, written by the site build from its schema file, pipelines/site-empty-sources.ts): parquet-wasm cannot turn
 * such a table into IPC (a Rust panic, "unreachable"), so the caller makes the empty table from the schema file.
 * @param {{ recordBatch: (i: number) => unknown, intoIPCStream: () => Uint8Array, free: () => void }} decoded
 * @returns {Uint8Array | null}
 */
export function parquetIPC(decoded) {
	if (decoded.recordBatch(0) === undefined) {
		decoded.free();
		return null;
	}
	return decoded.intoIPCStream();
}

/** Evidence's `<query>.schema.json` beside `<query>.parquet`. @param {string} parquetPath */
export const schemaFileOf = (parquetPath) => parquetPath.replace(/\.parquet$/, '.schema.json');

/**
 * The CREATE TABLE of an empty source from its schema file's columns (Evidence's `{ name, evidenceType }` list).
 * @param {{ source: string, table: string }} t
 * @param {{ name: string, evidenceType: string }[]} columns
 */
export function emptyTableSql({ source, table }, columns) {
	const cols = columns.map((c) => {
		const type = EVIDENCE_TYPE_SQL[/** @type {keyof typeof EVIDENCE_TYPE_SQL} */ (c.evidenceType)];
		if (!type) throw new Error(`${source}.${table}: column ${c.name} has an unknown type ${c.evidenceType} in its schema file`);
		return `"${c.name.replaceAll('"', '""')}" ${type}`;
	});
	return `CREATE TABLE "${source}"."${table}" (${cols.join(', ')});`;
}

/** The query that finds what holds a name (its table_type). @param {{ source: string, table: string }} t */
export function existingTypeSql({ source, table }) {
	const q = (x) => `'${x.replaceAll("'", "''")}'`;
	return `SELECT table_type FROM information_schema.tables WHERE table_schema = ${q(source)} AND table_name = ${q(table)};`;
}

/**
 * Whether a query is one of a dropdown's own (Evidence's Query sends `---- Data|Length|Columns Dropdown-<name> …`).
 * A prerendered dropdown shows the options that came with the page; at hydration Evidence rebuilds its options query
 * (the text differs only by the random aliases Evidence gives subqueries, so its cache misses) and asks for its rows,
 * row count and columns again. Until the user touches the page the inputs are the prerendered ones, so these queries
 * can wait until the engine runs anyway (a real query, the user's first touch) instead of starting it.
 * @param {string} sql
 */
export function isDropdownQuery(sql) {
	return /^\s*---- (Data|Length|Columns) Dropdown-\S+ /.test(sql);
}

/** Regular-expression text of a literal. */
const literal = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a query names a table: as source.table, "source"."table" or, through the search path, table alone.
 * @param {string} sql
 * @param {{ source: string, table: string }} t
 */
export function namesTable(sql, { source, table }) {
	return new RegExp(`(^|[^\\w"])("?${literal(source)}"?\\s*\\.\\s*)?"?${literal(table)}"?($|[^\\w"])`, 'i').test(sql);
}

/**
 * The table a parquet URL holds, and its URL as the page fetches it (Evidence's rules: absolute, no /static).
 * @param {string} source
 * @param {string} url
 * @param {(path: string) => string} addBasePath
 * @returns {NotedTable}
 */
export function notedTable(source, url, addBasePath = (x) => x) {
	const table = /** @type {string} */ (url.split(/[\\/]/).at(-1)).slice(0, -'.parquet'.length);
	let path = url.startsWith('http') || url.startsWith('/') ? url : `/${url}`;
	if (path.startsWith('/static')) path = path.substring(7);
	return { source, table, url: addBasePath(path) };
}

/** @param {string} url */
const noSchema = async (url) => {
	throw new Error(`${url}: no schema file reader given`);
};

/**
 * Creates the registry of one page's tables.
 * @param {{
 *   connection: () => ArrowConnection | Promise<ArrowConnection>,
 *   fetchParquet: (url: string) => Promise<Uint8Array>,
 *   decodeParquet: (bytes: Uint8Array) => Promise<Uint8Array | null> | Uint8Array | null,
 *   fetchSchema?: (url: string) => Promise<{ name: string, evidenceType: string }[]>,
 *   onError?: (message: string, error: unknown) => void
 * }} io decodeParquet gives null for a file with no row groups; the table is then made empty from fetchSchema's columns
 */
export function createLazyTables({ connection, fetchParquet, decodeParquet, fetchSchema = noSchema, onError = () => {} }) {
	/** @type {Map<string, NotedTable>} tables noted but not loaded yet */
	const noted = new Map();
	/** @type {Map<string, Promise<void>>} tables loaded or loading */
	const loaded = new Map();

	/** @param {string} key */
	function load(key) {
		let loading = loaded.get(key);
		if (!loading) {
			const { source, table, url } = /** @type {NotedTable} */ (noted.get(key));
			loading = (async () => {
				const [conn, ipc] = await Promise.all([connection(), fetchParquet(url).then(decodeParquet)]);
				const columns = ipc ? null : await fetchSchema(schemaFileOf(url));
				const existing = /** @type {any} */ (await conn.query(existingTypeSql({ source, table }))).toArray()[0]?.table_type;
				for (const sql of makeRoomSql({ source, table }, existing)) await conn.query(sql);
				if (ipc) await conn.insertArrowFromIPCStream(ipc, { schema: source, name: table, create: true });
				else await conn.query(emptyTableSql({ source, table }, /** @type {any} */ (columns)));
			})();
			loading.catch((e) => {
				loaded.delete(key);
				onError(`Error encountered while loading ${source}.${table}`, e);
			});
			loaded.set(key, loading);
		}
		return loading;
	}

	return {
		/**
		 * Notes the tables of parquet URLs (replacing all noted tables unless `append`).
		 * @param {Record<string, string[]>} urls
		 * @param {{ append?: boolean, addBasePath?: (path: string) => string }} [options]
		 */
		note(urls, { append = false, addBasePath } = {}) {
			if (!append) noted.clear();
			for (const source in urls) {
				for (const url of urls[source] ?? []) {
					const t = notedTable(source, url, addBasePath);
					const key = `${t.source}.${t.table}`;
					loaded.delete(key);
					noted.set(key, t);
				}
			}
		},
		/**
		 * Loads the tables a query names (every noted table when `all`), in parallel, and waits for them.
		 * @param {string} sql
		 * @param {boolean} [all]
		 */
		loadFor(sql, all = false) {
			const keys = [...noted.entries()].filter(([, t]) => all || namesTable(sql, t)).map(([key]) => key);
			return Promise.all(keys.map(load));
		},
		/** Whether a table is still to be loaded (a failed query may then be retried with all tables). */
		hasUnloaded() {
			return [...noted.keys()].some((key) => !loaded.has(key));
		},
		/** The keys ("source.table") of the loaded or loading tables. */
		loadedKeys() {
			return [...loaded.keys()];
		}
	};
}

/**
 * Runs a query after loading the tables it names. A table named in a way the pattern does not see (a CTE that
 * shadows, a name built in a string) fails as a catalog error: then every table is loaded and the query runs again.
 * @template T
 * @param {ReturnType<typeof createLazyTables>} tables
 * @param {string} sql
 * @param {() => Promise<T>} run
 * @returns {Promise<T>}
 */
export async function queryWithTables(tables, sql, run) {
	await tables.loadFor(sql);
	try {
		return await run();
	} catch (e) {
		if (!/Catalog Error/i.test(String(e)) || !tables.hasUnloaded()) throw e;
		await tables.loadFor(sql, true);
		return await run();
	}
}
