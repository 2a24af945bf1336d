/**
 * The plan for reading one service-use extract, from what the file inspection found (pipelines/ingest/inspect.ts):
 * how its bytes reach DuckDB's CSV reader (as they are, or decoded to a UTF-8 copy first), its delimiter, which
 * column is which (the aliases) and the reader spec that read-sql.ts turns into SQL. Pure: no file or database is
 * touched here (read-extract.ts does the IO), so every decision is unit-tested with fixtures.
 */
import { type Aliases, detectDelimiter, type HeaderMapping, mapHeader, splitHeaderLine, unrecognisedColumns } from './aliases.js';
import type { FileInspection } from '../ingest/inspect.js';
import { DATE_FORMATS, MONTH_FORMATS, type ReadSpec, sniffFormat } from './read-sql.js';

/** How the file's bytes reach DuckDB: read as they are (in one of DuckDB's encodings), transcoded, or converted. */
export type Decoding =
  | { kind: 'as-is'; encoding: ReadSpec['encoding'] }
  | { kind: 'transcode'; from: 'utf-16le' | 'utf-16be' | 'windows-1252' }
  | { kind: 'xlsx' };

export interface ReadPlan {
  decoding: Decoding;
  delimiter: string;
  mapping: HeaderMapping;
  spec: ReadSpec;
}

export type PlanInput = Pick<FileInspection, 'file' | 'format' | 'encoding' | 'hasC1Bytes' | 'headerLine' | 'sampleLines'>;

export interface PlanSettings {
  aliases: Aliases;
  /** First accepted month, 'YYYY-MM'. */
  earliestMonth: string;
  /** "Now": its month is the last accepted one. */
  now: Date;
}

/** DuckDB's CSV reader's default max_line_size: a longer line is one reject (LINE SIZE OVER MAXIMUM). */
export const DUCKDB_MAX_LINE_BYTES = 2_000_000;

export function monthString(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * How a CSV's bytes reach DuckDB. UTF-8 and UTF-16 with a byte order mark are read as they are; UTF-16 without one is
 * transcoded (DuckDB needs the mark); Windows-1252 is read as latin-1 when it has no bytes 0x80-0x9F (then the two are
 * identical) and transcoded otherwise.
 */
export function decodingOf(i: Pick<FileInspection, 'format' | 'encoding' | 'hasC1Bytes'>): Decoding {
  if (i.format === 'xlsx') return { kind: 'xlsx' };
  if (i.encoding === 'utf-16') return { kind: 'as-is', encoding: 'utf-16' };
  if (i.encoding === 'utf-16le' || i.encoding === 'utf-16be') return { kind: 'transcode', from: i.encoding };
  if (i.encoding === 'windows-1252') return i.hasC1Bytes ? { kind: 'transcode', from: 'windows-1252' } : { kind: 'as-is', encoding: 'latin-1' };
  return { kind: 'as-is', encoding: 'utf-8' };
}

/**
 * The read plan of one extract. `workbookHeader`: a workbook's header row (the converter found it; a CSV's header
 * is the inspection's first line). Throws InputFileError (mapHeader) when the header lacks a required column.
 */
export function planRead(i: PlanInput, settings: PlanSettings, workbookHeader?: readonly string[]): ReadPlan {
  const decoding = decodingOf(i);
  const xlsx = decoding.kind === 'xlsx';
  // A converted workbook is a comma-separated CSV with the worksheet row as its last column.
  const delimiter = xlsx ? ',' : detectDelimiter(i.headerLine);
  const header = xlsx ? [...(workbookHeader ?? [])] : splitHeaderLine(i.headerLine, delimiter);
  const mapping = mapHeader(i.file, header, settings.aliases);
  // Date formats sniffed from the first lines, so the bulk parse tries the right one first.
  const sampleOf = (c: 'month' | 'event_date') => {
    const k = mapping.columns.indexOf(c);
    return k < 0 ? [] : i.sampleLines.map((l) => splitHeaderLine(l, delimiter)[k] ?? '');
  };
  const spec: ReadSpec = {
    kind: mapping.kind,
    columns: mapping.columns,
    delimiter,
    encoding: decoding.kind === 'as-is' ? decoding.encoding : 'utf-8',
    decimalComma: delimiter !== ',',
    lineColumn: xlsx,
    serviceTypes: settings.aliases.serviceTypes,
    earliestMonth: settings.earliestMonth,
    latestMonth: monthString(settings.now),
    dateFormat: sniffFormat(sampleOf('event_date'), DATE_FORMATS),
    monthFormat: sniffFormat(sampleOf('month'), MONTH_FORMATS),
    rejectsTable: 'su_rej1',
    rejectsScan: 'su_scan1',
  };
  return { decoding, delimiter, mapping, spec };
}

/**
 * A file whose only double quotes are unterminated ones (a stray quote in one field) is read again without quoting:
 * DuckDB would otherwise read the lines after the stray quote as part of one value. Each stray quote made one
 * UNQUOTED VALUE line; a file with other quotes keeps them (and the reject says which lines were lost). Pure.
 */
export function readAgainWithoutQuotes(spec: ReadSpec, fileQuotes: number, unquotedLines: number): boolean {
  return unquotedLines > 0 && fileQuotes === unquotedLines && spec.quote !== '';
}

/** DuckDB drops a last line without a line break silently when it is longer than its maximum line size. Pure. */
export function dropsLastLine(spec: Pick<ReadSpec, 'lineColumn'>, lastLineBytes: number): boolean {
  return lastLineBytes > DUCKDB_MAX_LINE_BYTES && !spec.lineColumn;
}

/** The header names no alias recognised, and the warning shown on /tila when one of them looks like a measure. Pure. */
export function unrecognisedOf(mapping: HeaderMapping): { names: string[]; measureLike: string[]; warning: string | null } {
  const u = unrecognisedColumns(mapping);
  const warning = u.measureLike.length
    ? `column(s) ${u.measureLike.map((n) => `"${n}"`).join(', ')} look like a measure but match no alias: ignored ` +
      '(add the name to config/service-use-aliases.yaml)'
    : null;
  return { ...u, warning };
}

/** The format as the load registry shows it: "xlsx", "csv utf-8", "csv windows-1252 gzip" ... Pure. */
export function describeFormat(i: Pick<FileInspection, 'format' | 'encoding' | 'gzip'>): string {
  if (i.format === 'xlsx') return 'xlsx';
  return `csv ${i.encoding}${i.gzip ? ' gzip' : ''}`;
}
