import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import ExcelJS from 'exceljs';
import { InputFileError } from '../csv.js';
import { isAlive } from '../processes.js';
import type { FileInspection } from './inspect.js';

const SCRATCH_PREFIX = 'tj-service-use-';

/**
 * Removes the scratch folders of import processes that are gone: a killed import (SIGKILL, power loss) cannot clean
 * up, and its folder holds a plaintext copy of the extract (a converted worksheet, a transcoded file). The folder
 * name carries the owner's pid. IO; errors are ignored (another process may be removing the same folder).
 */
export function sweepScratchDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const m = new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    try {
      rmSync(join(root, name), { recursive: true, force: true });
      removed.push(join(root, name));
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/**
 * A temporary folder (mode 0700) for converted copies of input files, removed by `cleanup`; leftovers of killed
 * imports are swept first.
 */
export function scratchDir(root = tmpdir()): { dir: string; cleanup: () => void } {
  sweepScratchDirs(root);
  const dir = mkdtempSync(join(root, `${SCRATCH_PREFIX}${process.pid}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Streams text through a decoder in chunks (native code; no per-row JavaScript). */
class DecodeToUtf8 extends Transform {
  private readonly decoder: TextDecoder;
  constructor(encoding: string) {
    super();
    this.decoder = new TextDecoder(encoding);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8'));
  }
  override _flush(done: TransformCallback): void {
    done(null, Buffer.from(this.decoder.decode(), 'utf8'));
  }
}

/**
 * Transcodes a Windows-1252 file (optionally gzip-compressed) to a UTF-8 copy in `dir`, streaming in 1 MB chunks
 * with constant memory. Used only when the file has bytes 0x80-0x9F (€, ‚, “, ” ...), where latin-1 differs.
 */
export async function transcodeToUtf8(file: string, gzip: boolean, dir: string, encoding = 'windows-1252'): Promise<string> {
  const out = join(dir, 'transcoded.csv');
  const source = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    if (gzip) await pipeline(source, createGunzip(), new DecodeToUtf8(encoding), createWriteStream(out));
    else await pipeline(source, new DecodeToUtf8(encoding), createWriteStream(out));
  } catch (e) {
    throw new InputFileError(file, null, null, `cannot transcode the file from ${encoding}: ${(e as Error).message}`);
  }
  return out;
}

/** The column of the converted CSV that keeps the worksheet's own row number (for rejects). */
export const XLSX_LINE_COLUMN = '__line';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates have no zone; exceljs gives them as UTC midnight.
    return value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 19 : 10).replace('T', ' ');
  }
  if (typeof value === 'object') {
    const v = value as unknown as Record<string, unknown>;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v && Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('error' in v) return String(v.error);
    return '';
  }
  return String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Converts the first worksheet of an .xlsx workbook to a UTF-8, comma-separated CSV in `dir` with the streaming
 * reader of exceljs (constant memory), so that the workbook then takes the same DuckDB bulk path as a CSV file.
 * Numbers are written with a decimal point, dates as YYYY-MM-DD; a last column `__line` keeps the worksheet row.
 * Returns the CSV path and the header cells.
 */
export async function xlsxToCsv(file: string, dir: string): Promise<{ csv: string; header: string[] }> {
  const out = join(dir, 'worksheet.csv');
  const stream = createWriteStream(out);
  let header: string[] | null = null;
  let width = 0;
  let failure: Error | null = null;
  stream.on('error', (e) => (failure = e));
  const write = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      if (stream.write(line)) resolve();
      else stream.once('drain', resolve);
    });
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    });
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1);
        if (header === null) {
          header = values.map(cellText).map((h) => h.trim());
          while (header.length && header[header.length - 1] === '') header.pop();
          width = header.length;
          await write(`${[...header, XLSX_LINE_COLUMN].map(csvField).join(',')}\n`);
          continue;
        }
        const cells: string[] = [];
        for (let i = 0; i < width; i++) cells.push(csvField(cellText(values[i])));
        if (cells.every((c) => c === '')) continue;
        await write(`${cells.join(',')},${row.number}\n`);
      }
      break; // the first worksheet only
    }
  } catch (e) {
    stream.destroy();
    throw new InputFileError(file, null, null, `cannot read the workbook: ${(e as Error).message}`);
  }
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  if (header === null || width === 0) throw new InputFileError(file, 1, null, 'the first worksheet is empty');
  return { csv: out, header };
}

/**
 * The UTF-8 CSV DuckDB reads for an inspected file of the smaller drop folders (unit data, commentary, plan): a
 * workbook converted (with its header cells), a gzip or non-UTF-8 file transcoded into `dir`, a plain UTF-8 file as
 * it is (header null: read from the file). The service-use import decides more finely (service-use/read-plan.ts).
 */
export async function utf8CsvOf(file: string, i: FileInspection, dir: string): Promise<{ path: string; header: string[] | null }> {
  if (i.format === 'xlsx') {
    const converted = await xlsxToCsv(file, dir);
    return { path: converted.csv, header: converted.header };
  }
  if (!i.gzip && i.encoding === 'utf-8') return { path: file, header: null };
  return { path: await transcodeToUtf8(file, i.gzip, dir, i.encoding === 'utf-16' ? 'utf-16le' : (i.encoding ?? 'utf-8')), header: null };
}
