import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { literalPath, querySqlFile, runSqlFile } from '../warehouse.js';
import type { Aliases, ExtractKind } from './aliases.js';
import type { ResolvedServiceUse } from '../settings/service-use.js';
import { scratchDir } from '../ingest/convert.js';
import { loadedFileId, loadedFileOfSize } from '../ingest/loads.js';
import { describeFormat, dropsLastLine, DUCKDB_MAX_LINE_BYTES, unrecognisedOf } from './read-plan.js';
import { dropExtractTemps, type ExtractRead, readExtract } from './read-extract.js';
import { rejectsInsertSql } from './read-sql.js';
import { duckdbReason } from '../safe-text.js';

export interface ImportContext {
  conn: DuckDBConnection;
  runId: string;
  config: ResolvedServiceUse;
  aliases: Aliases;
  log: Logger;
  /** "Now", for the latest accepted month (tests pin it). */
  now?: Date;
}

export interface FileImportResult {
  file: string;
  status: 'loaded' | 'unchanged';
  loadId: string | null;
  sourceName: string;
  kind: ExtractKind | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  periodStart: string | null;
  periodEnd: string | null;
  /** Staging rows of earlier loads of the same source that this file replaced. */
  rowsReplaced: number;
  /** Header names that no alias recognised (their columns were ignored). */
  unrecognisedColumns: string[];
  /** Set when an unrecognised column looks like a measure (€, kust, lkm, käynn ...): shown on /tila. */
  warning: string | null;
}

/** The source a file belongs to: its name without extensions and a trailing version marker (_v2, -korjattu ...). Pure. */
export function sourceNameOf(file: string): string {
  let name = basename(file).toLowerCase();
  name = name.replace(/\.gz$/, '').replace(/\.(csv|txt|tsv|xlsx)$/, '');
  const marker = /[_\-. ](v\d+|versio\d*|korjattu\d*|korjaus\d*|corrected\d*|correction\d*|fixed\d*|fix\d*|final|uusi|new)$/;
  while (marker.test(name)) name = name.replace(marker, '');
  return name || basename(file);
}

async function tableExists(conn: DuckDBConnection, schema: string, name: string): Promise<boolean> {
  const rows = await querySqlFile<{ n: bigint }>(conn, 'ingest/relation_exists.sql', { schema, name });
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Creates the service-use staging tables and refreshes the specialty code list from the configured CSV. */
export async function prepareServiceUseStaging(conn: DuckDBConnection, config: ResolvedServiceUse): Promise<void> {
  await runSqlFile(conn, 'staging/stg_service_use__monthly.sql');
  try {
    await runSqlFile(conn, 'staging/stg_service_use__specialties.sql', { path: literalPath(config.specialties) });
  } catch (e) {
    throw new InputFileError(config.specialties, null, null, `cannot read the specialty code list: ${duckdbReason(e)}`);
  }
}

function unchangedResult(file: string, sourceName: string, loadId: string): FileImportResult {
  return { file, status: 'unchanged', loadId, sourceName, kind: null, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0,
    periodStart: null, periodEnd: null, rowsReplaced: 0, unrecognisedColumns: [], warning: null };
}

const isoDay = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/**
 * Checks a read extract (temp.su_groups, temp.su_struct) against the code lists and writes its rejects: the lines
 * DuckDB rejected, and, only when a row failed a check, one row per bad input line (a second read of the file, with
 * line numbers). Returns the counts.
 */
async function checkExtract(ctx: ImportContext, file: string, read: Extract<ExtractRead, { status: 'read' }>) {
  const { conn, config } = ctx;
  const { inspection, plan, path } = read;
  await runSqlFile(conn, 'ingest/service_use/su_checked.sql', { specialties: basename(config.specialties) });
  if (dropsLastLine(plan.spec, inspection.lastLineBytes)) {
    await runSqlFile(conn, 'ingest/service_use/su_struct_last_line.sql', { bytes: inspection.lastLineBytes, max_bytes: DUCKDB_MAX_LINE_BYTES });
  }
  const [counts] = await querySqlFile<{ read: bigint; bad: bigint; structural: bigint; first: Date | null; last: Date | null }>(
    conn,
    'ingest/service_use/su_counts.sql',
  );
  const rowsRead = Number(counts?.read ?? 0);
  const rowsRejected = Number(counts?.bad ?? 0) + Number(counts?.structural ?? 0);
  if (rowsRejected > 0) {
    await runSqlFile(conn, 'ingest/service_use/rejected_rows.sql', { run_id: ctx.runId, source_file: file });
    await runSqlFile(conn, 'ingest/service_use/su_bad_keys.sql');
    await conn.run(rejectsInsertSql({ ...plan.spec, rejectsTable: 'su_rej2', rejectsScan: 'su_scan2' }, 'su_bad_keys', 'su_struct'), {
      path: literalPath(path),
      run_id: ctx.runId,
      source_file: file,
    });
  }
  return { rowsRead, rowsRejected, rowsLoaded: rowsRead - rowsRejected, periodStart: isoDay(counts?.first), periodEnd: isoDay(counts?.last) };
}

/**
 * Imports one extract inside the caller's transaction: read (read-extract.ts: inspection, decoding, DuckDB's bulk
 * read), plan (read-plan.ts, pure), checks and rejects (pipelines/sql/ingest/service_use/), then the bookkeeping:
 * good rows (aggregated per month × municipality × specialty × service type × age group) to
 * staging.stg_service_use__monthly replacing the same source's rows for the same months, one ops.service_use_loads
 * row. A file whose content hash is already loaded is skipped. File-level problems throw InputFileError.
 */
export async function importServiceUseFile(
  ctx: ImportContext,
  file: string,
  opts: { sourceName?: string } = {},
): Promise<FileImportResult> {
  const { conn, config, log } = ctx;
  const sourceName = opts.sourceName ?? sourceNameOf(file);
  const scratch = scratchDir();
  const started = Date.now();
  try {
    const read = await readExtract(ctx, file, { aliases: ctx.aliases, earliestMonth: config.earliestMonth, now: ctx.now ?? new Date() }, scratch.dir, {
      sizeLoaded: (bytes) => loadedFileOfSize(conn, 'ops.service_use_loads', bytes),
      loadedId: (hash) => loadedFileId(conn, 'ops.service_use_loads', hash),
      ready: async () => {
        if (!(await tableExists(conn, 'staging', 'stg_statfi__municipality_years'))) {
          throw new Error('the municipality key is not loaded: run `npm run pipeline -- run regions` (or `run all`) first');
        }
      },
    });
    if (read.status === 'unchanged') {
      log.info('service-use file unchanged, skipped', { file, load_id: read.loadId });
      return unchangedResult(file, sourceName, read.loadId);
    }
    const { inspection, plan } = read;
    const unrecognised = unrecognisedOf(plan.mapping);
    if (unrecognised.warning) log.warn('service-use file has unrecognised measure-like columns', { file, columns: unrecognised.measureLike.join(', ') });
    const { rowsRead, rowsLoaded, rowsRejected, periodStart, periodEnd } = await checkExtract(ctx, file, read);

    const loadId = randomUUID();
    let rowsReplaced = 0;
    if (rowsLoaded > 0 && periodStart && periodEnd) {
      const [deleted] = await runSqlFile(conn, 'ingest/service_use/stg_service_use__monthly.sql', {
        source: sourceName, first: periodStart, last: periodEnd, file, load_id: loadId,
      });
      rowsReplaced = deleted ?? 0;
    }
    await runSqlFile(conn, 'ingest/service_use/service_use_loads.sql', {
      load_id: loadId,
      run_id: ctx.runId,
      source: sourceName,
      file,
      hash: inspection.sha256,
      bytes: inspection.bytes,
      format: describeFormat(inspection),
      kind: plan.mapping.kind,
      first: periodStart,
      last: periodEnd,
      read: rowsRead,
      loaded: rowsLoaded,
      rejected: rowsRejected,
      replaced: rowsReplaced,
      message: rowsReplaced > 0 ? `replaced ${rowsReplaced} staging rows of source ${sourceName}` : null,
      unrecognised: unrecognised.names.length ? unrecognised.names.join(' | ') : null,
      measure_like: unrecognised.measureLike.length ? unrecognised.measureLike.join(' | ') : null,
    });
    log.info('service-use file imported', {
      file,
      source: sourceName,
      kind: plan.mapping.kind,
      format: describeFormat(inspection),
      rows_read: rowsRead,
      rows_loaded: rowsLoaded,
      rows_rejected: rowsRejected,
      period: periodStart ? `${periodStart.slice(0, 7)}..${periodEnd?.slice(0, 7)}` : null,
      rows_replaced: rowsReplaced || undefined,
      unrecognised_columns: unrecognised.names.length ? unrecognised.names.join(' | ') : undefined,
      duration_ms: Date.now() - started,
    });
    return {
      file,
      status: 'loaded',
      loadId,
      sourceName,
      kind: plan.mapping.kind,
      rowsRead,
      rowsLoaded,
      rowsRejected,
      periodStart,
      periodEnd,
      rowsReplaced,
      unrecognisedColumns: unrecognised.names,
      warning: unrecognised.warning,
    };
  } finally {
    await dropExtractTemps(conn).catch(() => undefined);
    scratch.cleanup();
  }
}

export { tableExists };
