import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputFileError } from '../csv.js';

/**
 * What the pipeline needs to know about an input file before DuckDB reads it, found in one streaming pass
 * (constant memory): content hash, text encoding, compression and the header line.
 *
 * Encodings: UTF-8 (with or without BOM) is read as is; UTF-16 with a BOM is read by DuckDB's utf-16 reader;
 * anything else is taken as Windows-1252, the encoding of Finnish Windows exports. Windows-1252 equals ISO-8859-1
 * (DuckDB's built-in latin-1) except for the bytes 0x80-0x9F, so a file without those bytes is read by DuckDB as
 * latin-1 directly and a file with them is transcoded to UTF-8 first (convert.ts).
 */
/** 'utf-16': with a BOM (DuckDB reads it); 'utf-16le' / 'utf-16be': without one (transcoded to UTF-8 first). */
export type TextEncoding = 'utf-8' | 'utf-16' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type FileFormat = 'csv' | 'xlsx';

export interface FileInspection {
  file: string;
  bytes: number;
  /** sha256 of the file's bytes as stored (before decompression). */
  sha256: string;
  format: FileFormat;
  gzip: boolean;
  /** null for xlsx. */
  encoding: TextEncoding | null;
  /** Windows-1252 only: whether the file has bytes 0x80-0x9F (then latin-1 is not equivalent). */
  hasC1Bytes: boolean;
  /** First line of the decoded text, BOM removed (csv only). */
  headerLine: string;
  /** Up to 200 following lines (csv only), for sniffing date formats; the last, possibly cut, line is left out. */
  sampleLines: string[];
  /** Bytes after the last line break (a last line without one); DuckDB drops such a line silently when it is long. */
  lastLineBytes: number;
  /** Double-quote characters in the file (csv; counted up to just over 1 000): when its only quotes are unterminated
   *  ones, it is read without quoting. */
  quotes: number;
}

const HEADER_BYTES = 256 * 1024;
const QUOTES_COUNTED = 1000;

/** File kinds by name: .csv .txt .tsv (and .gz of them), .xlsx. Others are not service-use extracts. */
export function formatOf(file: string): { format: FileFormat; gzip: boolean } | null {
  const name = basename(file).toLowerCase();
  if (name.endsWith('.xlsx')) return { format: 'xlsx', gzip: false };
  const gzip = name.endsWith('.gz');
  const bare = gzip ? name.slice(0, -3) : name;
  if (/\.(csv|txt|tsv)$/.test(bare)) return { format: 'csv', gzip };
  return null;
}

function decodeLines(sample: Buffer, encoding: TextEncoding): string[] {
  let text: string;
  if (encoding === 'utf-16') {
    const le = sample[0] === 0xff;
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(sample);
  } else if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    text = new TextDecoder(encoding).decode(sample);
  } else if (encoding === 'windows-1252') {
    // Node 20's windows-1252 decoder maps 0x80-0x9F to C1 controls (0x80 → U+0080, not €) unless in stream mode.
    const decoder = new TextDecoder('windows-1252');
    text = decoder.decode(sample, { stream: true }) + decoder.decode();
  } else {
    text = new TextDecoder('utf-8').decode(sample);
  }
  text = text.replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n|\r/, 202);
  return lines.length > 201 ? lines.slice(0, 201) : lines.slice(0, Math.max(1, lines.length - 1));
}

/**
 * The size of a regular file. A symbolic link (even to a readable file: it could point at any file of the system)
 * and anything else that is not a regular file (a folder, a FIFO, a device) is refused, never followed or read.
 */
export function regularFileSize(file: string): number {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (e) {
    throw new InputFileError(file, null, null, `cannot open the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (stat.isSymbolicLink()) throw new InputFileError(file, null, null, 'a symbolic link: refused, links are never followed (copy the file itself into the folder)');
  if (!stat.isFile()) throw new InputFileError(file, null, null, 'not a regular file (a folder, pipe or device): refused');
  return stat.size;
}

/**
 * The identity of a file that failed, for "failed before and unchanged, skip it": its content hash; for a link or
 * other non-regular entry its path (never the link's target); 'unreadable: <path>' when it cannot be read.
 */
export function failedFileKey(file: string): string {
  try {
    const stat = lstatSync(file);
    if (!stat.isFile()) return `not a regular file: ${file}`;
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return `unreadable: ${file}`;
  }
}

/** The length of `buf` without an incomplete UTF-8 sequence at its end (cut by a chunk boundary). Pure. */
function completeUtf8Length(buf: Buffer): number {
  for (let k = 1; k <= 3 && k <= buf.length; k++) {
    const b = buf[buf.length - k] as number;
    if ((b & 0xc0) === 0xc0) return (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > k ? buf.length - k : buf.length;
    if ((b & 0xc0) !== 0x80) break;
  }
  return buf.length;
}

/** What the first 256 kB of a file say, when they say "plain UTF-8 CSV" (see peekUtf8Csv). */
export interface HeadInspection {
  bytes: number;
  headerLine: string;
  sampleLines: string[];
}

/**
 * The header and sample lines from the first 256 kB alone, when those bytes are a plain UTF-8 CSV (a .csv/.txt/.tsv
 * name, not gzip, no UTF-16 byte order mark or zero-byte pattern, no NUL, valid UTF-8 up to a character cut at the
 * end). Lets DuckDB start reading the file while inspectFile's full pass (hash, whole-file encoding check) runs; the
 * caller confirms the guess with inspectFile's result. null when the head says anything else or cannot be read (then
 * inspectFile decides, and reports the error).
 */
export function peekUtf8Csv(file: string): HeadInspection | null {
  const kind = formatOf(file);
  if (!kind || kind.format !== 'csv' || kind.gzip) return null;
  let head: Buffer;
  let bytes: number;
  try {
    bytes = regularFileSize(file);
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      head = Buffer.alloc(Math.min(bytes, HEADER_BYTES));
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  if (head.length < 2 || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return null;
  if (utf16WithoutBom(head) || head.subarray(0, 64 * 1024).includes(0)) return null;
  if (!isUtf8(head.subarray(0, completeUtf8Length(head)))) return null;
  const [headerLine = '', ...sampleLines] = decodeLines(head, 'utf-8');
  if (!headerLine.trim()) return null;
  return { bytes, headerLine, sampleLines };
}

/** Reads the file once: hash, encoding, header. Throws InputFileError for empty, binary or unreadable files. */
export async function inspectFile(file: string): Promise<FileInspection> {
  const kind = formatOf(file);
  if (!kind) throw new InputFileError(file, null, null, 'not a service-use extract by its name: expected .csv, .txt, .tsv, .csv.gz or .xlsx');
  const bytes = regularFileSize(file);
  if (bytes === 0) throw new InputFileError(file, null, null, 'the file is empty');

  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLength = 0;
  let utf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let c1 = false;
  // Mixed encodings: where the first byte that is not UTF-8 is (offset in the decoded content) and what it is,
  // whether valid UTF-8 multi-byte characters came before it, and whether UTF-8 ä/ö/å/é/€ follow it.
  let lastLineBytes = 0;
  let quotes = 0;
  let checkedBytes = 0;
  let bad: { offset: number; byte: number } | null = null;
  let multibyteBefore = false;
  let utf8After = false;

  // O_NOFOLLOW: a link swapped in after the check above is not followed either.
  const raw = createReadStream(file, { fd: openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW), highWaterMark: 1 << 20 });
  // Hash the stored bytes: for gzip the compressed stream (piped, so a second 'data' listener is safe), else in the loop.
  if (kind.gzip) raw.on('data', (chunk) => hash.update(chunk as Buffer));
  const content = kind.gzip ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const piece of content) {
      const chunk = piece as Buffer;
      if (!kind.gzip) hash.update(chunk);
      if (headLength < HEADER_BYTES) {
        head.push(chunk);
        headLength += chunk.length;
      }
      if (kind.format === 'xlsx') continue;
      // Counted up to a limit only: a file that quotes its fields has thousands, and then the exact number is moot.
      for (let q = chunk.indexOf(34); q !== -1 && quotes <= QUOTES_COUNTED; q = chunk.indexOf(34, q + 1)) quotes++;
      const lastBreak = chunk.lastIndexOf(10);
      lastLineBytes = lastBreak === -1 ? lastLineBytes + chunk.length : chunk.length - lastBreak - 1;
      // UTF-8 validity, chunk by chunk: an incomplete sequence at a chunk's end is carried to the next one.
      if (utf8) {
        const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const end = completeUtf8Length(buf);
        const checked = buf.subarray(0, end);
        if (isUtf8(checked)) {
          multibyteBefore ||= !isAscii(checked);
          checkedBytes += end;
        } else {
          utf8 = false;
          const at = firstInvalidUtf8(checked);
          bad = { offset: checkedBytes + at, byte: checked[at] as number };
          multibyteBefore ||= !isAscii(checked.subarray(0, at));
          utf8After = UTF8_FINNISH.test(checked.subarray(at).toString('latin1'));
        }
        carry = Buffer.from(buf.subarray(end));
      } else if (!utf8After) utf8After = UTF8_FINNISH.test(chunk.toString('latin1'));
      if (!utf8 && !c1) c1 = /[\x80-\x9f]/.test(chunk.toString('latin1'));
    }
  } catch (e) {
    throw new InputFileError(file, null, null, `cannot read the file${kind.gzip ? ' (gzip)' : ''}: ${(e as Error).message}`);
  }
  if (utf8 && carry.length) {
    utf8 = false;
    bad = { offset: checkedBytes, byte: carry[0] as number };
  }
  const sha256 = hash.digest('hex');
  const sample = Buffer.concat(head).subarray(0, HEADER_BYTES);

  if (kind.format === 'xlsx') {
    if (!(sample[0] === 0x50 && sample[1] === 0x4b)) throw new InputFileError(file, null, null, 'not an .xlsx workbook (no zip signature)');
    return { file, bytes, sha256, format: 'xlsx', gzip: false, encoding: null, hasC1Bytes: false, headerLine: '', sampleLines: [], lastLineBytes: 0, quotes: 0 };
  }

  let encoding: TextEncoding;
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) encoding = 'utf-16';
  else encoding = utf16WithoutBom(sample) ?? (utf8 ? 'utf-8' : 'windows-1252');
  if (!encoding.startsWith('utf-16') && sample.subarray(0, 64 * 1024).includes(0)) {
    throw new InputFileError(file, null, null, 'not a text file (it contains NUL bytes): expected a CSV extract');
  }
  // Decode once, per file: a file that is UTF-8 up to a byte that is not is neither UTF-8 nor Windows-1252.
  if (encoding === 'windows-1252' && bad && (multibyteBefore || utf8After)) {
    throw new InputFileError(
      file,
      await lineAtOffset(file, kind.gzip, bad.offset),
      null,
      `mixed encodings: UTF-8 text with a byte that is not UTF-8 (0x${bad.byte.toString(16).toUpperCase()}) on this line; ` +
        'save the whole file in one encoding (UTF-8 or Windows-1252)',
    );
  }
  // Bytes before the first non-UTF-8 chunk were not checked for 0x80-0x9F: check again from the start.
  if (encoding === 'windows-1252' && !c1) c1 = await hasC1(file, kind.gzip);
  const [headerLine = '', ...sampleLines] = decodeLines(sample, encoding);
  if (!headerLine.trim()) throw new InputFileError(file, 1, null, 'the first line (the header) is empty');
  return { file, bytes, sha256, format: 'csv', gzip: kind.gzip, encoding, hasC1Bytes: c1, headerLine, sampleLines, lastLineBytes, quotes };
}

/**
 * UTF-16 without a byte order mark, recognised by its zero bytes: Latin-script text in UTF-16LE has a zero in (almost)
 * every odd byte and none in the even ones (UTF-16BE the other way round). Looks at the first 4 kB. Pure.
 */
export function utf16WithoutBom(sample: Buffer): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > 0.7 * pairs && evenZeros < 0.05 * pairs) return 'utf-16le';
  if (evenZeros > 0.7 * pairs && oddZeros < 0.05 * pairs) return 'utf-16be';
  return null;
}

/** UTF-8 encodings of ä ö å Ä Ö Å é (lead byte 0xC3) and €, seen as latin-1 text: "Ã" is not Finnish. */
const UTF8_FINNISH = /\xC3[\x80-\xBF]|\xE2\x82\xAC/;

/** The offset of the first byte of `buf` that does not start a valid UTF-8 character (buf.length if none). Pure. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > buf.length || !isUtf8(buf.subarray(i, i + n))) return i;
    i += n;
  }
  return buf.length;
}

/** The 1-based line of a byte offset of the (decompressed) content, by a second pass (only for a rejected file). */
async function lineAtOffset(file: string, gzip: boolean, offset: number): Promise<number> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const content = gzip ? raw.pipe(createGunzip()) : raw;
  let line = 1;
  let seen = 0;
  for await (const piece of content) {
    const chunk = piece as Buffer;
    const upto = Math.min(chunk.length, offset - seen);
    for (let i = chunk.indexOf(10); i !== -1 && i < upto; i = chunk.indexOf(10, i + 1)) line++;
    seen += chunk.length;
    if (seen >= offset) break;
  }
  raw.destroy();
  return line;
}

async function hasC1(file: string, gzip: boolean): Promise<boolean> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const content = gzip ? raw.pipe(createGunzip()) : raw;
  for await (const piece of content) {
    if (/[\x80-\x9f]/.test((piece as Buffer).toString('latin1'))) {
      raw.destroy();
      return true;
    }
  }
  return false;
}
