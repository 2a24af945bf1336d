// `evidence sources` writes each query's result as temporary parquet parts and merges them with a COPY statement.
// Evidence runs it in duckdb-wasm, which downloads the parquet extension and hangs offline; here it runs in native
// DuckDB (@duckdb/node-api, parquet built in), in about a second. Called by universal-sql's build-parquet.js
// (patches/@evidence-dev+universal-sql+3.0.1.patch).

import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Runs one SQL statement (Evidence's COPY … TO … (FORMAT 'PARQUET')) in a fresh in-memory native DuckDB.
 * @param {string} sql
 */
export async function runNativeCopy(sql) {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	try {
		await connection.run(sql);
	} finally {
		connection.closeSync();
		instance.closeSync();
	}
}
