/**
 * Commentary import (docs/commentary.md): CSV or .xlsx files with one row per comment. The file is read in bulk by
 * DuckDB (pipelines/csv.ts; a workbook first streamed to CSV by the service-use converter), checked in SQL
 * (pipelines/sql/intermediate/int_commentary__checked.sql), bad lines go to ops.rejected_rows (file, line, column,
 * reason; never the comment's text), good lines are appended to staging.stg_commentary__comments (history: every
 * version kept; marts.commentary shows the newest per key). A file whose bytes were loaded before is skipped.
 * Everything runs in the caller's transaction, so an import lands whole or not at all.
 */
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError, loadCsvToRaw } from '../csv.js';
import type { Logger } from '../log.js';
import { scratchDir, utf8CsvOf } from '../ingest/convert.js';
import { inspectFile } from '../ingest/inspect.js';
import { importEachFile, loadedFileId, recordFileLoad } from '../ingest/loads.js';
import { querySqlFile, runSqlFile } from '../warehouse.js';
import { COMMENTARY_COLUMNS } from './columns.js';

export interface CommentaryImportContext {
  conn: DuckDBConnection;
  runId: string;
  log: Logger;
  /** Registry indicator ids a comment may name. */
  indicatorIds: readonly string[];
  /** Organisation, service-area and unit codes a comment may name (kunta-<code> is always accepted). */
  orgIds: readonly string[];
}

export interface CommentaryFileResult {
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
}

const none = (file: string, status: CommentaryFileResult['status']): CommentaryFileResult => ({ file, status, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });

/** Commentary files by name: .csv and .xlsx. */
export const isCommentaryFile = (name: string): boolean => /\.(csv|xlsx)$/i.test(name) && !name.startsWith('~$');

/** Reads one file into raw.commentary_file (every column text, source_line = the file's line or worksheet row). */
async function readToRaw(conn: DuckDBConnection, file: string): Promise<number> {
  const inspection = await inspectFile(file);
  const scratch = scratchDir();
  try {
    const { path } = await utf8CsvOf(file, inspection, scratch.dir);
    const rows = await loadCsvToRaw(conn, { table: 'commentary_file', file: path, required: COMMENTARY_COLUMNS });
    if (inspection.format === 'xlsx') await runSqlFile(conn, 'ingest/commentary/commentary_file_lines.sql');
    return rows;
  } catch (e) {
    if (e instanceof InputFileError && e.file !== file) throw new InputFileError(file, e.line, e.field, e.message.slice(e.message.indexOf(': ') + 2));
    throw e;
  } finally {
    scratch.cleanup();
  }
}

/** Imports one file inside the caller's transaction. File-level problems (unreadable, header) throw InputFileError. */
export async function importCommentaryFile(ctx: CommentaryImportContext, file: string): Promise<CommentaryFileResult> {
  const { conn, log } = ctx;
  const { sha256: hash, bytes } = await inspectFile(file);
  const done = await loadedFileId(conn, 'ops.commentary_loads', hash);
  if (done) {
    log.info('commentary file unchanged, skipped', { file, load_id: done });
    return none(file, 'unchanged');
  }
  const rowsRead = await readToRaw(conn, file);
  await runSqlFile(conn, 'ingest/commentary/cm_known_indicators.sql', { ids: JSON.stringify(ctx.indicatorIds) });
  await runSqlFile(conn, 'ingest/commentary/cm_known_orgs.sql', { ids: JSON.stringify(ctx.orgIds) });
  await runSqlFile(conn, 'intermediate/int_commentary__checked.sql');
  await runSqlFile(conn, 'ingest/commentary/rejected_rows.sql', { run_id: ctx.runId, file });
  const [counts] = await querySqlFile<{ rejected: bigint }>(conn, 'ingest/commentary/cm_counts.sql');
  const rowsRejected = Number(counts?.rejected ?? 0);
  const loadId = randomUUID();
  await runSqlFile(conn, 'ingest/commentary/stg_commentary__comments.sql', { file, load_id: loadId });
  const rowsLoaded = rowsRead - rowsRejected;
  await recordFileLoad(conn, {
    source: 'commentary', loadId, runId: ctx.runId, file, hash, bytes, read: rowsRead, loaded: rowsLoaded, rejected: rowsRejected,
  });
  await conn.run('drop table if exists temp.cm_typed; drop table if exists temp.cm_problems; drop table if exists raw.commentary_file');
  log.info('commentary file imported', { file, rows_read: rowsRead, rows_loaded: rowsLoaded, rows_rejected: rowsRejected });
  return { file, status: 'loaded', rowsRead, rowsLoaded, rowsRejected };
}

/**
 * Imports files in order. A file that cannot be read at all (header, format) is recorded once (ops.rejected_rows and
 * a 'failed' load, file/line/column/reason) and the others go on.
 */
export async function importCommentaryFiles(
  ctx: CommentaryImportContext,
  files: readonly string[],
): Promise<{ rowsRead: number; rowsLoaded: number; rowsRejected: number; quarantined: string[]; files: CommentaryFileResult[] }> {
  await runSqlFile(ctx.conn, 'staging/stg_commentary__comments.sql');
  const { results, quarantined } = await importEachFile(ctx, files, {
    source: 'commentary',
    quarantine: true,
    importOne: (file) => importCommentaryFile(ctx, file),
    failed: (file) => ({ ...none(file, 'failed'), rowsRejected: 1 }),
  });
  const sum = (k: 'rowsRead' | 'rowsLoaded' | 'rowsRejected') => results.reduce((a, r) => a + r[k], 0);
  return { rowsRead: sum('rowsRead'), rowsLoaded: sum('rowsLoaded'), rowsRejected: sum('rowsRejected'), quarantined, files: results };
}
