/**
 * The population job's IO: reads every configured source (a file, or a PxWeb table URL through the shared HTTP
 * client with timeout, deadline and retries; POST with the configured query), parses it (pxweb.ts), appends the
 * rows in bulk to raw.population_rows (DuckDB appender), then maps names to codes, records rejects and replaces
 * staging.stg_population__by_age in SQL. Runs inside the runner's transaction: a source that cannot be read or
 * parsed fails the job, and the previous rows stay as they were.
 */
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { SotkanetClient } from '../sotkanet/client.js';
import { querySqlFile, runSqlFile } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';
import type { PopulationSource, ResolvedPopulation } from '../settings/population.js';
import { parsePopulationText, PxWebFormatError, type PopulationParseResult } from './pxweb.js';

export interface PopulationImportResult {
  sources: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  skippedAreas: number;
}

/** Where a source comes from, for messages and ops.rejected_rows.source_file. */
export function sourceLocation(s: PopulationSource): string {
  return s.file ?? s.url ?? s.name;
}

/** Reads a source's text: the file, or the URL (POST with the PxWeb query when configured, else GET). IO. */
export async function readSourceText(
  s: PopulationSource,
  cfg: ResolvedPopulation,
  opts: { log?: Logger; signal?: AbortSignal; client?: SotkanetClient } = {},
): Promise<string> {
  if (s.file !== undefined) {
    try {
      // UTF-8 (PxWeb's API); a file saved as Windows-1252/Latin-1 (older StatFin downloads) is not valid UTF-8.
      const bytes = readFileSync(s.file);
      const text = bytes.toString('utf8');
      return text.includes('\uFFFD') ? bytes.toString('latin1') : text;
    } catch (e) {
      throw new InputFileError(s.file, null, null, `cannot read population source ${s.name}: ${(e as Error).message}`);
    }
  }
  const client =
    opts.client ??
    new SotkanetClient({
      ...cfg.http,
      baseUrl: s.url!,
      log: opts.log,
      signal: opts.signal,
      service: 'Statistics Finland PxWeb',
    });
  const body = s.query ? { text: JSON.stringify(s.query), contentType: 'application/json' } : undefined;
  const { text } = await client.fetchText(s.url!, `population source ${s.name}`, body);
  return text;
}

/** Parses one source; structural problems become an InputFileError naming the source and the file. Pure. */
export function parseSource(s: PopulationSource, text: string): PopulationParseResult {
  const location = sourceLocation(s);
  try {
    return parsePopulationText(text, s.format, location);
  } catch (e) {
    if (e instanceof PxWebFormatError) {
      throw new InputFileError(location, null, null, `population source ${s.name} (${s.format}): ${e.message.slice(location.length + 2)}`);
    }
    throw e;
  }
}

/** Appends one source's parsed rows and problems to the raw tables (bulk, through DuckDB appenders). */
async function appendSource(conn: DuckDBConnection, s: PopulationSource, parsed: PopulationParseResult): Promise<void> {
  const location = sourceLocation(s);
  const positionKind = s.format === 'csv' ? 'line' : 'value_index';
  const rows = await conn.createAppender('population_rows', 'raw');
  try {
    for (const r of parsed.rows) {
      rows.appendVarchar(s.name);
      rows.appendVarchar(s.kind);
      rows.appendVarchar(r.variant ?? s.variant);
      rows.appendVarchar(location);
      rows.appendVarchar(positionKind);
      rows.appendVarchar(r.municipality);
      rows.appendInteger(r.year);
      rows.appendVarchar(r.age_group);
      rows.appendDouble(r.population);
      rows.appendBigInt(BigInt(r.position));
      rows.endRow();
    }
  } finally {
    rows.closeSync();
  }
  const problems = await conn.createAppender('population_problems', 'raw');
  try {
    for (const p of parsed.rejects) {
      problems.appendVarchar(s.name);
      problems.appendVarchar(location);
      problems.appendVarchar(positionKind);
      if (p.position === null) problems.appendNull();
      else problems.appendBigInt(BigInt(p.position));
      problems.appendVarchar(p.field);
      if (p.value === null) problems.appendNull();
      else problems.appendVarchar(p.value);
      problems.appendVarchar(p.reason);
      problems.endRow();
    }
  } finally {
    problems.closeSync();
  }
}

/**
 * The population staging tables from raw.population_rows (the rows' rejects recorded under `runId`). The one place
 * that makes them: the population job after reading its sources, and the marts job on a warehouse the population job
 * never ran on (`ensurePopulationStaging`: empty raw tables, so the population marts are empty).
 */
async function buildPopulationStaging(conn: DuckDBConnection, cfg: ResolvedPopulation, runId: string): Promise<void> {
  await runSqlFile(conn, 'intermediate/int_population__rows.sql');
  await runSqlFile(conn, 'staging/stg_population__by_age.rejects.sql', { run_id: runId });
  await runSqlFile(conn, 'staging/stg_population__by_age.sql');
  await runSqlFile(conn, 'staging/population_settings.sql', { main_variant: cfg.mainVariant });
}

const POPULATION_RAW_FILES = ['raw/population_rows.sql', 'raw/population_problems.sql'];

/** Makes the (then empty) population staging tables when the population job has not run on this warehouse yet. */
export async function ensurePopulationStaging(conn: DuckDBConnection, cfg: ResolvedPopulation, runId: string): Promise<void> {
  const [row] = await querySqlFile<{ n: bigint }>(conn, 'ingest/relation_exists.sql', { schema: 'staging', name: 'stg_population__by_age' });
  if (Number(row?.n ?? 0) > 0) return;
  await runSqlModels(conn, POPULATION_RAW_FILES);
  await buildPopulationStaging(conn, cfg, runId);
}

/** Reads, parses and loads every configured source, then rebuilds the population staging tables. */
export async function importPopulation(
  conn: DuckDBConnection,
  cfg: ResolvedPopulation,
  opts: { runId: string; log?: Logger; signal?: AbortSignal; client?: SotkanetClient },
): Promise<PopulationImportResult> {
  await runSqlModels(conn, POPULATION_RAW_FILES);
  let rowsRead = 0;
  let skippedAreas = 0;
  for (const s of cfg.sources) {
    const text = await readSourceText(s, cfg, opts);
    const parsed = parseSource(s, text);
    await appendSource(conn, s, parsed);
    rowsRead += parsed.rows.length + parsed.rejects.length;
    skippedAreas += parsed.skippedAreas.length;
    opts.log?.info('population source read', {
      source: s.name,
      kind: s.kind,
      format: s.format,
      location: sourceLocation(s),
      cells: parsed.cells,
      missing: parsed.missing,
      rows: parsed.rows.length,
      rejects: parsed.rejects.length,
      skipped_areas: parsed.skippedAreas.length,
    });
  }
  await buildPopulationStaging(conn, cfg, opts.runId);
  const [row] = await querySqlFile<{ loaded: bigint; rejected: bigint }>(conn, 'ingest/population/population_counts.sql', { run_id: opts.runId });
  return {
    sources: cfg.sources.length,
    rowsRead,
    rowsLoaded: Number(row?.loaded ?? 0),
    rowsRejected: Number(row?.rejected ?? 0),
    skippedAreas,
  };
}
