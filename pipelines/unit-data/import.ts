/**
 * Unit-data import (docs/scorecard.md, "Unit data"): CSV files with one row per unit and month. The file is read in
 * bulk by DuckDB (pipelines/csv.ts), checked in SQL (pipelines/sql/intermediate/int_unit_data__checked.sql), bad lines go
 * to ops.rejected_rows (file, line, column, reason), good lines replace the same unit-months in
 * staging.stg_unit_data__monthly. A file whose bytes were loaded before is skipped (idempotent). Everything runs in
 * the caller's transaction, so an import lands whole or not at all.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError, loadCsvToRaw } from '../csv.js';
import type { Logger } from '../log.js';
import { scratchDir, utf8CsvOf } from '../ingest/convert.js';
import { inspectFile } from '../ingest/inspect.js';
import { importEachFile, loadedFileId, recordFileLoad } from '../ingest/loads.js';
import { querySqlFile, runSqlFile } from '../warehouse.js';
import { REQUIRED_UNIT_DATA_COLUMNS, UNIT_DATA_COLUMNS } from './columns.js';

export interface UnitDataImportContext {
  conn: DuckDBConnection;
  runId: string;
  log: Logger;
  /** Months before this are rejected (YYYY-MM). */
  earliestMonth: string;
  /** "Now", for the latest accepted month (tests pin it). */
  now?: Date;
}

export interface UnitDataFileResult {
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  loadId: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsReplaced: number;
}

/** Creates the unit-data staging and ops tables when missing. */
export async function prepareUnitDataStaging(conn: DuckDBConnection): Promise<void> {
  await runSqlFile(conn, 'staging/stg_unit_data__monthly.sql');
}

const month = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/** Imports one file inside the caller's transaction. File-level problems (unreadable, header) throw InputFileError. */
export async function importUnitDataFile(ctx: UnitDataImportContext, file: string): Promise<UnitDataFileResult> {
  const { conn, log } = ctx;
  // The service-use import's file inspection: content hash, gzip, encoding (UTF-8, UTF-16, Windows-1252).
  const inspection = await inspectFile(file);
  const hash = inspection.sha256;
  const done = await loadedFileId(conn, 'ops.unit_data_loads', hash);
  if (done) {
    log.info('unit-data file unchanged, skipped', { file, load_id: done });
    return { file, status: 'unchanged', loadId: done, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsReplaced: 0 };
  }
  if (inspection.format !== 'csv') throw new InputFileError(file, null, null, 'not a CSV file (unit data are CSV, docs/scorecard.md)');
  const scratch = scratchDir();
  let rowsRead: number;
  try {
    // DuckDB reads plain UTF-8; anything else is first streamed into a UTF-8 copy.
    const { path } = await utf8CsvOf(file, inspection, scratch.dir);
    rowsRead = await loadCsvToRaw(conn, { table: 'unit_data_file', file: path, required: REQUIRED_UNIT_DATA_COLUMNS });
  } catch (e) {
    if (e instanceof InputFileError && e.file !== file) throw new InputFileError(file, e.line, e.field, e.message.slice(e.message.indexOf(': ') + 2));
    throw e;
  } finally {
    scratch.cleanup();
  }
  // Optional measure columns a file leaves out are simply not reported.
  const [cols] = await querySqlFile<{ names: string[] }>(conn, 'ingest/unit_data/unit_data_file_columns.sql');
  for (const c of UNIT_DATA_COLUMNS) {
    if (!(cols?.names ?? []).includes(c)) await conn.run(`alter table raw.unit_data_file add column ${c} varchar`);
  }
  await runSqlFile(conn, 'intermediate/int_unit_data__checked.sql', {
    earliest_month: ctx.earliestMonth,
    latest_month: month(ctx.now ?? new Date()),
  });
  const loadId = randomUUID();
  await runSqlFile(conn, 'ingest/unit_data/rejected_rows.sql', { run_id: ctx.runId, file });
  const [counts] = await querySqlFile<{ rejected: bigint; first: Date | null; last: Date | null }>(conn, 'ingest/unit_data/ud_counts.sql');
  const rowsRejected = Number(counts?.rejected ?? 0);
  const [replaced] = await runSqlFile(conn, 'ingest/unit_data/stg_unit_data__monthly.sql', { file, load_id: loadId });
  const rowsReplaced = replaced ?? 0;
  const rowsLoaded = rowsRead - rowsRejected;
  const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);
  await recordFileLoad(conn, {
    source: 'unit_data',
    loadId,
    runId: ctx.runId,
    file,
    hash,
    bytes: inspection.bytes,
    first: iso(counts?.first),
    last: iso(counts?.last),
    read: rowsRead,
    loaded: rowsLoaded,
    rejected: rowsRejected,
    replaced: rowsReplaced,
  });
  await conn.run('drop table if exists temp.ud_typed; drop table if exists temp.ud_problems; drop table if exists raw.unit_data_file');
  log.info('unit-data file imported', { file, rows_read: rowsRead, rows_loaded: rowsLoaded, rows_rejected: rowsRejected, rows_replaced: rowsReplaced || undefined });
  return { file, status: 'loaded', loadId, rowsRead, rowsLoaded, rowsRejected, rowsReplaced };
}

/**
 * Imports files in order. With `quarantine`, a file that cannot be read at all is recorded (ops.rejected_rows and a
 * 'failed' load) and the others go on; without it the first such file fails the whole import.
 */
export async function importUnitDataFiles(
  ctx: UnitDataImportContext,
  files: readonly string[],
  opts: { quarantine?: boolean } = {},
): Promise<{ rowsRead: number; rowsLoaded: number; rowsRejected: number; quarantined: string[]; files: UnitDataFileResult[] }> {
  await prepareUnitDataStaging(ctx.conn);
  const { results, quarantined } = await importEachFile(ctx, files, {
    source: 'unit_data',
    quarantine: opts.quarantine ?? false,
    importOne: (file) => importUnitDataFile(ctx, file),
    failed: (file): UnitDataFileResult => ({ file, status: 'failed', loadId: null, rowsRead: 0, rowsLoaded: 0, rowsRejected: 1, rowsReplaced: 0 }),
  });
  const sum = (k: 'rowsRead' | 'rowsLoaded' | 'rowsRejected') => results.reduce((a, r) => a + r[k], 0);
  return { rowsRead: sum('rowsRead'), rowsLoaded: sum('rowsLoaded'), rowsRejected: sum('rowsRejected'), quarantined, files: results };
}
