// Parquet files as tables of a duckdb-wasm database, without duckdb-wasm's read_parquet (which would download the
// parquet extension and hang offline): the file is decoded with parquet-wasm and inserted as an Arrow table.
// Used by Evidence's prerender engine (universal-sql's client-duckdb/node.js, patched to call here); the whole file is
// read into memory, which is fine because the sources expose only aggregated marts.

import { readFileSync } from 'node:fs';
import { readParquet } from 'parquet-wasm/node/arrow1.js';
import { emptyTableSql, existingTypeSql, makeRoomSql, parquetIPC, schemaFileOf } from './lazy-tables.js';

/**
 * Creates (or replaces) source.table from a parquet file, synchronously (Evidence's prerender cache needs the
 * blocking node build of duckdb-wasm and synchronous loading).
 * @param {{ query: (sql: string) => any, insertArrowFromIPCStream: (ipc: Uint8Array, o: { schema: string, name: string, create: boolean }) => unknown }} connection
 * @param {{ source: string, table: string, file: string }} target
 */
export function loadParquetTable(connection, { source, table, file }) {
	const ipc = parquetIPC(readParquet(readFileSync(file)));
	const columns = ipc ? null : JSON.parse(readFileSync(schemaFileOf(file), 'utf8'));
	const existing = connection.query(existingTypeSql({ source, table })).toArray()[0]?.table_type;
	for (const sql of makeRoomSql({ source, table }, existing)) connection.query(sql);
	if (ipc) connection.insertArrowFromIPCStream(ipc, { schema: source, name: table, create: true });
	else connection.query(emptyTableSql({ source, table }, columns));
}
