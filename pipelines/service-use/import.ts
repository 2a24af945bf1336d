import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { literalPath, queryRows, runSqlFile } from '../warehouse.js';
import { type Aliases, detectDelimiter, type ExtractKind, mapHeader, splitHeaderLine, unrecognisedColumns } from './aliases.js';
import type { ResolvedServiceUse } from '../settings/service-use.js';
import { scratchDir, transcodeToUtf8, xlsxToCsv } from './convert.js';
import { type FileInspection, inspectFile, peekUtf8Csv } from '../ingest/inspect.js';
import { loadedFileId } from '../ingest/loads.js';
import { DATE_FORMATS, groupsSql, MONTH_FORMATS, type ReadSpec, rejectsInsertSql, sniffFormat } from './read-sql.js';
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

function monthString(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function describeFormat(i: FileInspection): string {
  if (i.format === 'xlsx') return 'xlsx';
  return `csv ${i.encoding}${i.gzip ? ' gzip' : ''}`;
}

async function tableExists(conn: DuckDBConnection, schema: string, name: string): Promise<boolean> {
  const rows = await queryRows<{ n: bigint }>(
    conn,
    `select count(*) as n from (select schema_name, table_name from duckdb_tables() union all select schema_name, view_name from duckdb_views())
     where schema_name = $schema and table_name = $name`,
    { schema, name },
  );
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

/** DuckDB's CSV reader's default max_line_size: a longer line is one reject (LINE SIZE OVER MAXIMUM). */
const DUCKDB_MAX_LINE_BYTES = 2_000_000;

const TEMP = ['su_groups', 'su_checked', 'su_struct', 'su_bad_keys', 'su_rej1', 'su_scan1', 'su_rej2', 'su_scan2'];

async function dropTemps(conn: DuckDBConnection): Promise<void> {
  for (const t of TEMP) await conn.run(`drop table if exists temp.${t}`);
}

/** The "unchanged" result when a file with this content hash is already loaded, else null. */
async function alreadyLoaded(ctx: ImportContext, file: string, sourceName: string, hash: string): Promise<FileImportResult | null> {
  const done = await loadedFileId(ctx.conn, 'ops.service_use_loads', hash);
  if (!done) return null;
  ctx.log.info('service-use file unchanged, skipped', { file, load_id: done });
  return {
    file,
    status: 'unchanged',
    loadId: done,
    sourceName,
    kind: null,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    periodStart: null,
    periodEnd: null,
    rowsReplaced: 0,
    unrecognisedColumns: [],
    warning: null,
  };
}

/**
 * Imports one extract inside the caller's transaction: bulk read through DuckDB, checks in SQL, bad rows to
 * ops.rejected_rows, good rows (aggregated per month × municipality × specialty × service type × age group) to
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
  // Overlap: a file whose size no loaded file has cannot be a loaded file (same hash), so when its first bytes are a
  // plain UTF-8 CSV DuckDB starts reading it while the full inspection pass (hash, whole-file encoding check) runs.
  // The guess is confirmed by that pass before anything is written; a file that is not UTF-8 after all is read again.
  let head = peekUtf8Csv(file);
  if (head) {
    const [seen] = await queryRows<{ n: bigint }>(
      conn,
      `select count(*) as n from ops.service_use_loads where file_bytes = $bytes and status = 'loaded'`,
      { bytes: head.bytes },
    );
    if (Number(seen?.n ?? 0) > 0) head = null;
  }
  const full = inspectFile(file);
  full.catch(() => undefined); // awaited below (a rejection before then is not unhandled)
  let inspection: FileInspection = head
    ? { file, bytes: head.bytes, sha256: '', format: 'csv', gzip: false, encoding: 'utf-8', hasC1Bytes: false,
        headerLine: head.headerLine, sampleLines: head.sampleLines, lastLineBytes: 0, quotes: 0 }
    : await full;
  if (!head) {
    const unchanged = await alreadyLoaded(ctx, file, sourceName, inspection.sha256);
    if (unchanged) return unchanged;
  }
  if (!(await tableExists(conn, 'staging', 'stg_statfi__municipality_years'))) {
    await full; // its file-level error first
    throw new Error('the municipality key is not loaded: run `npm run pipeline -- run regions` (or `run all`) first');
  }

  const scratch = scratchDir();
  try {
    const planRead = async (i: FileInspection) => {
      let path = file;
      let header: string[];
      let delimiter: string;
      let encoding: ReadSpec['encoding'] = 'utf-8';
      let lineColumn = false;
      if (i.format === 'xlsx') {
        const converted = await xlsxToCsv(file, scratch.dir);
        path = converted.csv;
        header = converted.header;
        delimiter = ',';
        lineColumn = true;
      } else {
        delimiter = detectDelimiter(i.headerLine);
        header = splitHeaderLine(i.headerLine, delimiter);
        if (i.encoding === 'utf-16') encoding = 'utf-16';
        else if (i.encoding === 'utf-16le' || i.encoding === 'utf-16be') {
          path = await transcodeToUtf8(file, i.gzip, scratch.dir, i.encoding); // DuckDB needs the BOM
        } else if (i.encoding === 'windows-1252') {
          if (i.hasC1Bytes) path = await transcodeToUtf8(file, i.gzip, scratch.dir);
          else encoding = 'latin-1'; // identical to Windows-1252 when the file has no bytes 0x80-0x9F
        }
      }
      const mapping = mapHeader(file, header, ctx.aliases);
      // Date formats sniffed from the first lines, so the bulk parse tries the right one first.
      const sampleOf = (c: 'month' | 'event_date') => {
        const k = mapping.columns.indexOf(c);
        return k < 0 ? [] : i.sampleLines.map((l) => splitHeaderLine(l, delimiter)[k] ?? '');
      };
      const spec: ReadSpec = {
        kind: mapping.kind,
        columns: mapping.columns,
        delimiter,
        encoding,
        decimalComma: delimiter !== ',',
        lineColumn,
        serviceTypes: ctx.aliases.serviceTypes,
        earliestMonth: config.earliestMonth,
        latestMonth: monthString(ctx.now ?? new Date()),
        dateFormat: sniffFormat(sampleOf('event_date'), DATE_FORMATS),
        monthFormat: sniffFormat(sampleOf('month'), MONTH_FORMATS),
        rejectsTable: 'su_rej1',
        rejectsScan: 'su_scan1',
      };
      return { path, delimiter, lineColumn, mapping, spec };
    };
    let plan = await planRead(inspection);
    const readGroups = async () => {
      const { spec, path, delimiter } = plan;
      await dropTemps(conn);
      try {
        await conn.run(groupsSql(spec, 'su_groups'), { path: literalPath(path) });
      } catch (e) {
        throw new InputFileError(file, null, null, `DuckDB could not read the file as ${describeFormat(inspection)} with delimiter "${delimiter}": ${duckdbReason(e)}`);
      }
      // Lines DuckDB's reader rejected itself (wrong column count, broken quotes, bad encoding).
      // One row per rejected line (DuckDB reports a short line once per missing column). An unterminated quote runs
      // over the following lines (`swallowed`: they are in its csv_line): the reason says which, and they count as
      // read and rejected, never silently lost. good_before: the good rows before the line (for phase-2 line numbers).
      await conn.run(`create temp table su_struct as
        with per_line as (
            select line, arg_min(column_name, coalesce(column_idx, -1)) as column_name,
                   arg_min(error_type || coalesce(': ' || error_message, ''), coalesce(column_idx, -1)) as reason,
                   any_value(csv_line) as csv_line,
                   bool_or(error_type = 'UNQUOTED VALUE') as unquoted
            from temp.su_rej1 group by line),
        spans as (
            select * exclude (unquoted, reason),
                   case when unquoted then length(rtrim(csv_line, chr(13) || chr(10))) - length(replace(rtrim(csv_line, chr(13) || chr(10)), chr(10), ''))
                        else 0 end as swallowed,
                   reason
            from per_line)
        select line, column_name,
               reason || case when swallowed > 0 then '; it runs over the next ' || swallowed || ' line(s), to line ' || (line + swallowed)
                              || ', which were not loaded' else '' end as reason,
               csv_line, swallowed,
               line - 1 - row_number() over (order by line)
                    - coalesce(sum(swallowed) over (order by line rows between unbounded preceding and 1 preceding), 0) as good_before
        from spans`);
    };
    if (!head) await readGroups();
    else {
      const [read, inspected] = await Promise.allSettled([readGroups(), full]);
      if (inspected.status === 'rejected') throw inspected.reason;
      inspection = inspected.value;
      const unchanged = await alreadyLoaded(ctx, file, sourceName, inspection.sha256);
      if (unchanged) return unchanged;
      if (inspection.encoding !== 'utf-8') {
        log.info('service-use file is not UTF-8 after its first 256 kB: read again', { file, encoding: inspection.encoding });
        plan = await planRead(inspection);
        await readGroups();
      } else if (read.status === 'rejected') throw read.reason;
    }
    const { path, lineColumn, mapping, spec } = plan;
    const unrecognised = unrecognisedColumns(mapping);
    const warning = unrecognised.measureLike.length
      ? `column(s) ${unrecognised.measureLike.map((n) => `"${n}"`).join(', ')} look like a measure but match no alias: ignored ` +
        '(add the name to config/service-use-aliases.yaml)'
      : null;
    if (warning) log.warn('service-use file has unrecognised measure-like columns', { file, columns: unrecognised.measureLike.join(', ') });
    // A file whose only double quotes are unterminated ones (a stray quote in one field) is read again without
    // quoting: DuckDB would otherwise read the lines after the stray quote as part of one value. Each stray quote
    // made one UNQUOTED VALUE line; a file with other quotes keeps them (and the reject says which lines were lost).
    const [stray] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from temp.su_struct where reason like 'UNQUOTED VALUE%'`);
    const strayQuotes = Number(stray?.n ?? 0);
    if (strayQuotes > 0 && inspection.quotes === strayQuotes && spec.quote !== '') {
      log.warn('service-use file has stray double quotes: read without quoting', { file, quotes: strayQuotes });
      spec.quote = '';
      await readGroups();
    }
    await conn.run(`create temp table su_checked as
      with key_years as (select min(year) as first_year, max(year) as last_year from staging.stg_statfi__municipality_years),
      municipalities as (select distinct year, municipality_code from staging.stg_statfi__municipality_years)
      select g.*,
             least(greatest(year(g.month), y.first_year), y.last_year) as key_year,
             case when g.err_column is not null then g.err_column
                  when k.municipality_code is null then 'municipality_code'
                  when s.specialty_code is null then 'specialty_code' end as bad_column,
             case when g.err_column is not null then null
                  when k.municipality_code is null
                  then 'unknown municipality code in the Statistics Finland key of ' || least(greatest(year(g.month), y.first_year), y.last_year)
                  when s.specialty_code is null then 'not in the specialty code list (' || $specialties || ')' end as reason
      from temp.su_groups g
      cross join key_years y
      left join municipalities k
        on k.municipality_code = g.municipality_code and k.year = least(greatest(year(g.month), y.first_year), y.last_year)
      left join staging.stg_service_use__specialties s on s.specialty_code = g.specialty_code`,
      { specialties: basename(config.specialties) });

    const [counts] = await queryRows<{ read: bigint; bad: bigint; structural: bigint; first: Date | null; last: Date | null }>(
      conn,
      `select coalesce(sum(source_rows), 0) + (select count(*) + coalesce(sum(swallowed), 0) from temp.su_struct) as read,
              coalesce(sum(source_rows) filter (where bad_column is not null), 0) as bad,
              (select count(*) + coalesce(sum(swallowed), 0) from temp.su_struct) as structural,
              min(month) filter (where bad_column is null) as first,
              max(month) filter (where bad_column is null) as last
       from temp.su_checked`,
    );
    // DuckDB drops a last line without a line break silently when it is longer than its maximum line size.
    const droppedLastLine = inspection.lastLineBytes > DUCKDB_MAX_LINE_BYTES && !lineColumn;
    if (droppedLastLine) {
      await conn.run(
        `insert into temp.su_struct select $line, null,
           'LINE SIZE OVER MAXIMUM: the last line (no line break at its end) has ' || $bytes || ' bytes, more than ' || $max || ': not read',
           null, 0, $line`,
        { line: Number(counts?.read ?? 0) + 2, bytes: inspection.lastLineBytes, max: DUCKDB_MAX_LINE_BYTES },
      );
    }
    const rowsRead = Number(counts?.read ?? 0) + (droppedLastLine ? 1 : 0);
    const structural = Number(counts?.structural ?? 0) + (droppedLastLine ? 1 : 0);
    const rowsRejected = Number(counts?.bad ?? 0) + structural;
    const rowsLoaded = rowsRead - rowsRejected;

    if (rowsRejected > 0) {
      await conn.run(
        `insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
         select $run_id, 'service_use', $source_file, line, column_name, reason, csv_line
         from temp.su_struct`,
        { run_id: ctx.runId, source_file: file },
      );
      await conn.run(`create temp table su_bad_keys as
        select month, municipality_code, specialty_code, service_type, age_group, bad_column, reason
        from temp.su_checked where err_column is null and bad_column is not null`);
      await conn.run(rejectsInsertSql({ ...spec, rejectsTable: 'su_rej2', rejectsScan: 'su_scan2' }, 'su_bad_keys', 'su_struct'), {
        path: literalPath(path),
        run_id: ctx.runId,
        source_file: file,
      });
    }

    const loadId = randomUUID();
    const periodStart = counts?.first ? new Date(counts.first).toISOString().slice(0, 10) : null;
    const periodEnd = counts?.last ? new Date(counts.last).toISOString().slice(0, 10) : null;
    let rowsReplaced = 0;
    if (rowsLoaded > 0 && periodStart && periodEnd) {
      const [deleted] = await queryRows<{ n: bigint }>(
        conn,
        `select count(*) as n from staging.stg_service_use__monthly
         where source_name = $source and month between cast($first as date) and cast($last as date)`,
        { source: sourceName, first: periodStart, last: periodEnd },
      );
      rowsReplaced = Number(deleted?.n ?? 0);
      if (rowsReplaced > 0) {
        await conn.run(
          `delete from staging.stg_service_use__monthly
           where source_name = $source and month between cast($first as date) and cast($last as date)`,
          { source: sourceName, first: periodStart, last: periodEnd },
        );
      }
      await conn.run(
        `insert into staging.stg_service_use__monthly (month, municipality_code, specialty_code, service_type, age_group,
           visits, care_periods, bed_days, patients, cost_eur, source_rows, source_name, source_file, load_id)
         select month, municipality_code, specialty_code, service_type, age_group,
                cast(visits as bigint), cast(care_periods as bigint), cast(bed_days as bigint), cast(patients as bigint),
                cast(cost_eur as decimal(18,2)), source_rows, $source, $file, $load_id
         from temp.su_checked where bad_column is null`,
        { source: sourceName, file, load_id: loadId },
      );
      if (rowsReplaced > 0) {
        await conn.run(
          `update ops.service_use_loads set status = 'superseded', superseded_by = $load_id
           where source_name = $source and status = 'loaded'
             and load_id not in (select distinct load_id from staging.stg_service_use__monthly)`,
          { source: sourceName, load_id: loadId },
        );
      }
    }
    await conn.run(
      `insert into ops.service_use_loads (load_id, run_id, source_name, source_file, file_hash, file_bytes, file_format,
         extract_kind, period_start, period_end, rows_read, rows_loaded, rows_rejected, status, message,
         unrecognised_columns, measure_like_columns)
       values ($load_id, $run_id, $source, $file, $hash, $bytes, $format, $kind, cast($first as date), cast($last as date),
               $read, $loaded, $rejected, 'loaded', $message, $unrecognised, $measure_like)`,
      {
        load_id: loadId,
        run_id: ctx.runId,
        source: sourceName,
        file,
        hash: inspection.sha256,
        bytes: inspection.bytes,
        format: describeFormat(inspection),
        kind: mapping.kind,
        first: periodStart,
        last: periodEnd,
        read: rowsRead,
        loaded: rowsLoaded,
        rejected: rowsRejected,
        message: rowsReplaced > 0 ? `replaced ${rowsReplaced} staging rows of source ${sourceName}` : null,
        unrecognised: unrecognised.names.length ? unrecognised.names.join(' | ') : null,
        measure_like: unrecognised.measureLike.length ? unrecognised.measureLike.join(' | ') : null,
      },
    );
    log.info('service-use file imported', {
      file,
      source: sourceName,
      kind: mapping.kind,
      format: describeFormat(inspection),
      rows_read: rowsRead,
      rows_loaded: rowsLoaded,
      rows_rejected: rowsRejected,
      period: periodStart ? `${periodStart.slice(0, 7)}..${periodEnd?.slice(0, 7)}` : null,
      rows_replaced: rowsReplaced || undefined,
      unrecognised_columns: unrecognised.names.length ? unrecognised.names.join(' | ') : undefined,
    });
    return {
      file,
      status: 'loaded',
      loadId,
      sourceName,
      kind: mapping.kind,
      rowsRead,
      rowsLoaded,
      rowsRejected,
      periodStart,
      periodEnd,
      rowsReplaced,
      unrecognisedColumns: unrecognised.names,
      warning,
    };
  } finally {
    await dropTemps(conn).catch(() => undefined);
    scratch.cleanup();
  }
}

export { tableExists };
