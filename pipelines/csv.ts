import { closeSync, openSync, readSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { literalPath, queryRows } from './warehouse.js';
import { duckdbReason } from './safe-text.js';

export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    detail: string,
  ) {
    super(`${file}${line !== null ? `, line ${line}` : ''}${field ? `, field "${field}"` : ''}: ${detail}`);
    this.name = 'InputFileError';
  }
}

/** Reads the first line of a text file (IO), without reading the whole file. */
export function readFirstLine(file: string, maxBytes = 64 * 1024): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new InputFileError(file, null, null, `cannot open the file: ${(e as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(maxBytes);
    const n = readSync(fd, buffer, 0, maxBytes, 0);
    const text = buffer.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    return text.split(/\r?\n/, 1)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/** Checks a comma-separated header against the columns a loader needs. Pure. */
export function checkHeader(file: string, headerLine: string, required: readonly string[]): string[] {
  const Header = z
    .array(z.string())
    .superRefine((cols, ctx) => {
      const missing = required.filter((c) => !cols.includes(c));
      if (missing.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `missing column(s) ${missing.join(', ')}` });
    });
  const columns = headerLine.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const parsed = Header.safeParse(columns);
  if (!parsed.success) {
    throw new InputFileError(file, 1, null, `${parsed.error.issues.map((i) => i.message).join('; ')} (the header line has ${columns.length} column(s))`);
  }
  return parsed.data;
}

/**
 * Loads a comma-separated UTF-8 file with a header into `raw.<table>` through DuckDB's CSV reader, every column
 * as text, plus `source_file` and `source_line` (1-based line in the file; the header is line 1).
 * Replaces the table's previous contents (the caller's transaction makes that atomic).
 */
export async function loadCsvToRaw(
  conn: DuckDBConnection,
  opts: { table: string; file: string; required: readonly string[] },
): Promise<number> {
  if (!/^[a-z_][a-z0-9_]*$/.test(opts.table)) throw new Error(`invalid raw table name ${opts.table}`);
  checkHeader(opts.file, readFirstLine(opts.file), opts.required);
  try {
    await conn.run(
      `create or replace table raw.${opts.table} as
       select *, $file as source_file, (row_number() over ()) + 1 as source_line
       from read_csv($path, header = true, all_varchar = true, delim = ',', quote = '"')`,
      { file: opts.file, path: literalPath(opts.file) },
    );
  } catch (e) {
    throw new InputFileError(opts.file, null, null, `DuckDB could not read the CSV: ${duckdbReason(e)}`);
  }
  const [row] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from raw.${opts.table}`);
  return Number(row?.n ?? 0);
}

/** Splits CSV text into records of fields with their 1-based line numbers (quotes, doubled quotes, CRLF). Pure. */
export function splitCsv(text: string, delimiter: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  const s = text.replace(/^\uFEFF/, '');
  let line = 1;
  let recordLine = 1;
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let any = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      inQuotes = true;
      any = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      fields.push(field);
      if (any || fields.length > 1 || fields[0] !== '') out.push({ line: recordLine, fields });
      fields = [];
      field = '';
      any = false;
      line++;
      recordLine = line;
    } else {
      field += ch;
      any = true;
    }
  }
  if (any || field !== '' || fields.length) {
    fields.push(field);
    out.push({ line: recordLine, fields });
  }
  return out;
}

/** Splits one line on the delimiter; fields may be double-quoted (a doubled quote is a quote). Pure. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  return splitCsv(line, delimiter)[0]?.fields ?? [''];
}
