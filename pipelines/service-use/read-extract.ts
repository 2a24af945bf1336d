/**
 * Reading one service-use extract (the file IO of the import): inspection, decoding and DuckDB's bulk read into
 * temp.su_groups (the whole file aggregated per month × municipality × specialty × service type × age group) and
 * temp.su_struct (the lines DuckDB's reader rejected). The decisions are read-plan.ts's (pure), the SQL is read-sql.ts's
 * reader and pipelines/sql/ingest/service_use/.
 *
 * One pass over the file where it can: when the first 256 kB say "plain UTF-8 CSV" and no loaded file has this size
 * (a file of another size cannot have a loaded file's content hash), DuckDB reads the file while the inspection's
 * pass (hash, whole-file encoding check) runs beside it; that pass confirms the guess before anything is written,
 * and a file that is not UTF-8 after all is read again.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { type FileInspection, inspectFile, peekUtf8Csv } from '../ingest/inspect.js';
import { duckdbReason } from '../safe-text.js';
import { literalPath, querySqlFile, runSqlFile } from '../warehouse.js';
import { transcodeToUtf8, xlsxToCsv } from '../ingest/convert.js';
import { describeFormat, type PlanSettings, planRead, type ReadPlan, readAgainWithoutQuotes } from './read-plan.js';
import { groupsSql } from './read-sql.js';

/** The temporary tables of one extract's import (dropped before and after it). */
export const EXTRACT_TEMP_TABLES = ['su_groups', 'su_checked', 'su_struct', 'su_bad_keys', 'su_rej1', 'su_scan1', 'su_rej2', 'su_scan2'];

export async function dropExtractTemps(conn: DuckDBConnection): Promise<void> {
  for (const t of EXTRACT_TEMP_TABLES) await conn.run(`drop table if exists temp.${t}`);
}

/** What the import asks the load bookkeeping while reading. */
export interface ReadHooks {
  /** Whether a loaded file has this size (else the file cannot be a loaded one). */
  sizeLoaded(bytes: number): Promise<boolean>;
  /** The load id when a file with this content hash is already loaded. */
  loadedId(sha256: string): Promise<string | null>;
  /** Throws when the warehouse is not ready for an import (checked once the file is known to be new). */
  ready(): Promise<void>;
}

export type ExtractRead =
  | { status: 'unchanged'; loadId: string }
  | { status: 'read'; inspection: FileInspection; plan: ReadPlan; path: string };

/** The plan and the path DuckDB reads (the file, or its decoded copy in `scratch`). */
async function decode(file: string, i: FileInspection, settings: PlanSettings, scratch: string): Promise<{ plan: ReadPlan; path: string }> {
  if (i.format === 'xlsx') {
    const converted = await xlsxToCsv(file, scratch);
    return { plan: planRead(i, settings, converted.header), path: converted.csv };
  }
  const plan = planRead(i, settings);
  const path = plan.decoding.kind === 'transcode' ? await transcodeToUtf8(file, i.gzip, scratch, plan.decoding.from) : file;
  return { plan, path };
}

/** DuckDB's bulk read of the plan into temp.su_groups and temp.su_struct. */
async function readGroups(conn: DuckDBConnection, file: string, i: FileInspection, plan: ReadPlan, path: string): Promise<void> {
  await dropExtractTemps(conn);
  try {
    await conn.run(groupsSql(plan.spec, 'su_groups'), { path: literalPath(path) });
  } catch (e) {
    throw new InputFileError(file, null, null, `DuckDB could not read the file as ${describeFormat(i)} with delimiter "${plan.delimiter}": ${duckdbReason(e)}`);
  }
  await runSqlFile(conn, 'ingest/service_use/su_struct.sql');
}

/** Reads one extract into temp.su_groups and temp.su_struct, or says it is already loaded. */
export async function readExtract(
  ctx: { conn: DuckDBConnection; log: Logger },
  file: string,
  settings: PlanSettings,
  scratch: string,
  hooks: ReadHooks,
): Promise<ExtractRead> {
  const { conn, log } = ctx;
  let head = peekUtf8Csv(file);
  if (head && (await hooks.sizeLoaded(head.bytes))) head = null;
  const full = inspectFile(file);
  full.catch(() => undefined); // awaited below (a rejection before then is not unhandled)

  let inspection: FileInspection;
  let read: { plan: ReadPlan; path: string };
  if (!head) {
    inspection = await full;
    const done = await hooks.loadedId(inspection.sha256);
    if (done) return { status: 'unchanged', loadId: done };
    await hooks.ready();
    read = await decode(file, inspection, settings, scratch);
    await readGroups(conn, file, inspection, read.plan, read.path);
  } else {
    try {
      await hooks.ready();
    } catch (e) {
      await full; // its file-level error first
      throw e;
    }
    // The head stands for the file until the full pass has confirmed it.
    const guess: FileInspection = { file, bytes: head.bytes, sha256: '', format: 'csv', gzip: false, encoding: 'utf-8', hasC1Bytes: false,
      headerLine: head.headerLine, sampleLines: head.sampleLines, lastLineBytes: 0, quotes: 0 };
    const reading = (async () => {
      const r = await decode(file, guess, settings, scratch);
      await readGroups(conn, file, guess, r.plan, r.path);
      return r;
    })();
    const [readOutcome, inspected] = await Promise.allSettled([reading, full]);
    if (inspected.status === 'rejected') throw inspected.reason;
    inspection = inspected.value;
    const done = await hooks.loadedId(inspection.sha256);
    if (done) return { status: 'unchanged', loadId: done };
    if (inspection.encoding !== 'utf-8') {
      log.info('service-use file is not UTF-8 after its first 256 kB: read again', { file, encoding: inspection.encoding });
      read = await decode(file, inspection, settings, scratch);
      await readGroups(conn, file, inspection, read.plan, read.path);
    } else if (readOutcome.status === 'rejected') throw readOutcome.reason;
    else read = readOutcome.value;
  }

  const [stray] = await querySqlFile<{ n: bigint }>(conn, 'ingest/service_use/su_stray_quotes.sql');
  const strayQuotes = Number(stray?.n ?? 0);
  if (readAgainWithoutQuotes(read.plan.spec, inspection.quotes, strayQuotes)) {
    log.warn('service-use file has stray double quotes: read without quoting', { file, quotes: strayQuotes });
    read.plan.spec.quote = '';
    await readGroups(conn, file, inspection, read.plan, read.path);
  }
  return { status: 'read', inspection, ...read };
}
