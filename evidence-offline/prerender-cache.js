// The prerender's query cache in memory. Evidence's (universal-sql src/cache-duckdb.js) keeps it on disk: for every
// query a page runs (each query three times: rows, length, columns) it wrote the result to
// `.evidence-queries/cache/<hash>.arrow` and read it back on the next use of the same SQL, and read and rewrote two
// JSON files of the page's query names in `.evidence-queries` besides the page's `all-queries.json`: five writes and
// a read per query. On the shared build machine those small synchronous writes were about half of a page's
// prerender time (CPU profile of the prerender worker, 29.11.2026: docs/operations.md, "Where the prerender goes").
// The `.evidence-queries` copies serve `evidence dev` only (its API routes) and the Evidence CLI deletes them before
// every build. While prerendering, this cache keeps the results in memory and writes only what the site serves:
// each distinct result once (`api/prerendered_queries/<hash>.arrow`) and each page's `all-queries.json`, with the
// same hashes and the same query names in the same order as Evidence's. Under `evidence dev` Evidence's own cache
// runs unchanged. Used by universal-sql's client-duckdb/node.js (patched to call here).

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// duckdb-wasm's blocking node build returns tables of apache-arrow's CommonJS build: the same one here (instanceof)
const require = createRequire(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm'));
const { tableToIPC, tableFromIPC } = require('apache-arrow');

/** Where SvelteKit writes the prerendered dependencies (relative to the template folder, like Evidence's). */
export const PRERENDER_PATH = '.svelte-kit/output/prerendered/dependencies';

/**
 * @param {string} [root] the folder the files go to (tests); the prerender's by default
 */
export function createPrerenderCache(root = PRERENDER_PATH) {
	/** SQL text → hash of its first result's Arrow IPC bytes */
	const hashOfSql = new Map();
	/** hash → the Arrow IPC bytes */
	const ipcOfHash = new Map();
	/** `route_hash/additional_hash` → { query name: hash } in the order the page ran them */
	const pages = new Map();

	const write = (path, data) => {
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, data);
	};

	return {
		/**
		 * The result of an SQL text already run during this prerender (as a table read back from its IPC bytes, as
		 * Evidence's cache gives it), or null.
		 * @param {string} sql
		 */
		resultOf(sql) {
			const hash = hashOfSql.get(sql);
			return hash === undefined ? null : tableFromIPC(ipcOfHash.get(hash));
		},
		/**
		 * Records a page's query result: the result file once per distinct result, the page's `all-queries.json` when
		 * its list changes.
		 * @param {string} sql
		 * @param {import('apache-arrow').Table} table
		 * @param {{ route_hash: string, additional_hash: string, query_name: string }} page
		 */
		remember(sql, table, { route_hash, additional_hash, query_name }) {
			let hash = hashOfSql.get(sql);
			if (hash === undefined) {
				const ipc = tableToIPC(table);
				hash = createHash('md5').update(ipc).digest('hex');
				hashOfSql.set(sql, hash);
				if (!ipcOfHash.has(hash)) {
					ipcOfHash.set(hash, ipc);
					write(join(root, 'api', 'prerendered_queries', `${hash}.arrow`), ipc);
				}
			}
			const key = `${route_hash}/${additional_hash}`;
			const names = pages.get(key) ?? {};
			pages.set(key, names);
			if (names[query_name] === hash) return;
			names[query_name] = hash;
			write(join(root, 'api', route_hash, additional_hash, 'all-queries.json'), JSON.stringify(names));
		}
	};
}

const prerenderCache = createPrerenderCache();

/**
 * Evidence's `query` of the prerender engine, with the cache in memory while prerendering.
 * @param {{ query: (sql: string) => import('apache-arrow').Table }} connection
 * @param {string} sql
 * @param {{ route_hash: string, additional_hash: string, query_name: string, prerendering: boolean } | undefined} options
 * @param {(sql: string, table: import('apache-arrow').Table, options: object) => void} evidenceCacheForHash Evidence's
 *   `cache_for_hash`, for `evidence dev` (its API routes read that cache)
 */
export function cachedQuery(connection, sql, options, evidenceCacheForHash) {
	if (!options?.prerendering) {
		const result = connection.query(sql);
		if (options) evidenceCacheForHash(sql, result, options);
		return result;
	}
	const result = prerenderCache.resultOf(sql) ?? connection.query(sql);
	prerenderCache.remember(sql, result, options);
	return result;
}
