/**
 * Plan sources (docs/plan.md): service agreements and budgets, CSV (any encoding the service-use import reads, .gz)
 * or .xlsx. The file is read in bulk by DuckDB, header names mapped through config/plan-aliases.yaml, every check
 * runs set-based in SQL; a bad line goes to ops.rejected_rows (file, line, column, reason, never the line's content),
 * good lines replace their whole period (agreement: organiser × year; budget: organisation × year) in staging: a
 * corrected file (a new version) replaces what the previous one delivered. A file already loaded (same bytes) is
 * skipped. Everything runs in the caller's transaction, so a failed run leaves the previous state.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { duckdbReason } from '../safe-text.js';
import { detectDelimiter, loadAliases, normaliseHeaderName, splitHeaderLine } from '../service-use/aliases.js';
import { scratchDir, utf8CsvOf } from '../ingest/convert.js';
import { prepareServiceUseStaging, tableExists } from '../service-use/import.js';
import { failedFileKey, type FileInspection, inspectFile } from '../ingest/inspect.js';
import type { ResolvedConfig } from '../settings/pipeline.js';
import { insertRows, literalPath, querySqlFile, runSqlFile } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';
import { writeSpecialtyGroups } from './specialty-groups.js';

export type PlanSource = 'agreements' | 'budgets';

type Kind = 'year' | 'month' | 'code' | 'count' | 'euros' | 'version';
interface Column {
  kind: Kind;
  required?: boolean;
}

/** The input contract of each source (docs/plan.md): canonical column → kind. */
export const PLAN_COLUMNS: Record<PlanSource, Record<string, Column>> = {
  agreements: {
    year: { kind: 'year', required: true },
    month: { kind: 'month' },
    organiser: { kind: 'code', required: true },
    municipality_code: { kind: 'code' },
    specialty_code: { kind: 'code' },
    service_type: { kind: 'code' },
    visits: { kind: 'count' },
    care_periods: { kind: 'count' },
    bed_days: { kind: 'count' },
    cost_eur: { kind: 'euros' },
    version: { kind: 'version', required: true },
  },
  budgets: {
    year: { kind: 'year', required: true },
    month: { kind: 'month' },
    organisation: { kind: 'code', required: true },
    account_group: { kind: 'code', required: true },
    euros: { kind: 'euros', required: true },
    version: { kind: 'version' },
  },
};

const AliasFile = z
  .object({
    agreements: z.record(z.string(), z.array(z.coerce.string()).min(1)),
    budgets: z.record(z.string(), z.array(z.coerce.string()).min(1)),
  })
  .strict();

/** Reads config/plan-aliases.yaml: normalised header name → canonical column, per source. */
export function loadPlanAliases(path: string): Record<PlanSource, Map<string, string>> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the plan alias file ${path}: ${(e as Error).message}`);
  }
  const parsed = AliasFile.safeParse(doc);
  if (!parsed.success) {
    throw new Error(`invalid plan alias file ${path}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const out = {} as Record<PlanSource, Map<string, string>>;
  for (const source of ['agreements', 'budgets'] as const) {
    const map = new Map<string, string>();
    for (const canonical of Object.keys(PLAN_COLUMNS[source])) {
      for (const name of [canonical, ...(parsed.data[source][canonical] ?? [])]) map.set(normaliseHeaderName(name), canonical);
    }
    const unknown = Object.keys(parsed.data[source]).filter((k) => !(k in PLAN_COLUMNS[source]));
    if (unknown.length) throw new Error(`invalid plan alias file ${path}: ${source}: unknown column(s) ${unknown.join(', ')}`);
    out[source] = map;
  }
  return out;
}

/** Maps a header to canonical columns (position → name or null); a missing required column is a file error. Pure. */
export function mapPlanHeader(file: string, source: PlanSource, header: readonly string[], aliases: Map<string, string>): (string | null)[] {
  const seen = new Map<string, number>();
  const mapped = header.map((h, i) => {
    const c = aliases.get(normaliseHeaderName(h)) ?? null;
    if (c && seen.has(c)) throw new InputFileError(file, 1, h, `column ${c} appears twice (also column ${seen.get(c)! + 1})`);
    if (c) seen.set(c, i);
    return c;
  });
  const missing = Object.entries(PLAN_COLUMNS[source]).filter(([c, col]) => col.required && !seen.has(c)).map(([c]) => c);
  if (missing.length) throw new InputFileError(file, 1, missing[0]!, `missing column(s) ${missing.join(', ')} (docs/plan.md)`);
  if (source === 'agreements' && !['visits', 'care_periods', 'bed_days', 'cost_eur'].some((m) => seen.has(m))) {
    throw new InputFileError(file, 1, null, 'no measure column (visits, care_periods, bed_days or cost_eur)');
  }
  return mapped;
}

export interface PlanImportContext {
  conn: DuckDBConnection;
  runId: string;
  config: ResolvedConfig;
  log: Logger;
}

export interface PlanFileResult {
  file: string;
  status: 'loaded' | 'unchanged' | 'failed';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsReplaced: number;
  periods: string;
}

/** The folder of the plan import's SQL (pipelines/sql/ingest/plan/; per source in agreements/, budgets/). */
const SQL = 'ingest/plan';

/** Creates the plan staging tables when missing (ops.plan_loads comes with the warehouse, pipelines/sql/ops/). */
export async function preparePlanStaging(conn: DuckDBConnection): Promise<void> {
  await runSqlModels(conn, ['staging/stg_plan__agreements.sql', 'staging/stg_plan__budgets.sql']);
}

/** Reads the file into temp.plan_raw (c0..cN text, source_line); returns the canonical name of each column. */
async function readRaw(ctx: PlanImportContext, source: PlanSource, file: string, aliases: Map<string, string>, inspection: FileInspection) {
  const scratch = scratchDir();
  try {
    const decoded = await utf8CsvOf(file, inspection, scratch.dir);
    const { path } = decoded;
    // A converted workbook is comma-separated, its header from the converter and its last column the worksheet row.
    const lineFromColumn = decoded.header !== null;
    const delimiter = decoded.header ? ',' : detectDelimiter(inspection.headerLine);
    const header = decoded.header ?? splitHeaderLine(inspection.headerLine, delimiter);
    const mapped = mapPlanHeader(file, source, header, aliases);
    const width = header.length + (lineFromColumn ? 1 : 0);
    const columns = `{${Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
    // The reader is the one statement built here (like the service-use reader, service-use/read-sql.ts): its columns
    // come from the file's header, mapped to the input contract; identifiers from PLAN_COLUMNS, the path a parameter.
    // Every column of the contract becomes <column>_text (NULL when empty or absent); the rest is SQL files.
    const texts = Object.keys(PLAN_COLUMNS[source]).map((c) => {
      const i = mapped.indexOf(c);
      return `${i < 0 ? 'cast(null as varchar)' : `nullif(trim(c${i}), '')`} as ${c}_text`;
    });
    try {
      await ctx.conn.run(
        `create or replace temp table plan_raw as
         select ${texts.join(', ')}, ${lineFromColumn ? `cast(c${header.length} as bigint)` : '(row_number() over ()) + 1'} as source_line
         from read_csv($path, header = false, skip = 1, delim = $delim, quote = '"', escape = '"', columns = ${columns},
                       null_padding = false, strict_mode = true)`,
        { path: literalPath(path), delim: delimiter },
      );
    } catch (e) {
      throw new InputFileError(file, null, null, `DuckDB could not read the file (delimiter "${delimiter}"): ${duckdbReason(e)}`);
    }
    return { decimalComma: delimiter !== ',' };
  } finally {
    scratch.cleanup();
  }
}

/**
 * Types and checks temp.plan_raw (SQL files of pipelines/sql/ingest/plan/): temp.plan_typed, temp.plan_norm, the
 * contract's and the source's own checks (temp.plan_checks) and temp.plan_problems (one row per bad line, its first
 * problem; duplicates of a key among the good lines).
 */
async function checkRows(ctx: PlanImportContext, source: PlanSource, decimalComma: boolean): Promise<void> {
  const { conn } = ctx;
  await runSqlFile(conn, `${SQL}/plan_contract.sql`);
  const contract = Object.entries(PLAN_COLUMNS[source]).map(([column, c], i) => ({ column_name: column, kind: c.kind, required: !!c.required, position: i }));
  await insertRows(conn, 'temp.plan_contract', contract);
  await runSqlFile(conn, `${SQL}/plan_typed.sql`, { decimal_comma: decimalComma });
  if (source === 'agreements') {
    await runSqlFile(conn, `${SQL}/agreements/plan_types.sql`);
    const labels = [...loadAliases(ctx.config.serviceUse.aliases).serviceTypes].map(([label, type]) => ({ label, type_code: type }));
    await insertRows(conn, 'temp.plan_types', labels);
    await runSqlFile(conn, `${SQL}/agreements/plan_areas.sql`);
  }
  // Each step a file shared by both sources (ingest/plan/) and then the source's own (ingest/plan/<source>/), where it has one.
  await runSqlFile(conn, `${SQL}/${source}/plan_norm.sql`);
  for (const step of ['plan_checks', 'plan_problems']) {
    await runSqlFile(conn, `${SQL}/${step}.sql`);
    await runSqlFile(conn, `${SQL}/${source}/${step}.sql`);
  }
}

/** Imports one file inside the caller's transaction. File-level problems throw InputFileError. */
export async function importPlanFile(ctx: PlanImportContext, source: PlanSource, file: string, aliases: Map<string, string>): Promise<PlanFileResult> {
  const { conn, log } = ctx;
  const sourceName = `plan_${source}`;
  const inspection = await inspectFile(file);
  const { sha256, bytes } = inspection;
  const [done] = await querySqlFile<{ n: bigint }>(conn, `${SQL}/loaded_file.sql`, { hash: sha256, source: sourceName });
  if (Number(done?.n ?? 0) > 0) {
    log.info('plan file unchanged, skipped', { file, source });
    return { file, status: 'unchanged', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsReplaced: 0, periods: '' };
  }
  const { decimalComma } = await readRaw(ctx, source, file, aliases, inspection);
  await checkRows(ctx, source, decimalComma);
  await runSqlFile(conn, `${SQL}/rejected_rows.sql`, { run_id: ctx.runId, source: sourceName, file });
  await runSqlFile(conn, `${SQL}/plan_good.sql`);
  const [counts] = await querySqlFile<{ read: bigint; rejected: bigint; replaced: bigint; periods: string | null }>(conn, `${SQL}/${source}/plan_counts.sql`);
  const loadId = randomUUID();
  await runSqlFile(conn, `${SQL}/${source}/stg_plan__${source}.sql`, { file, load_id: loadId });
  const rowsRead = Number(counts?.read ?? 0);
  const rowsRejected = Number(counts?.rejected ?? 0);
  const result: PlanFileResult = {
    file,
    status: 'loaded',
    rowsRead,
    rowsRejected,
    rowsLoaded: rowsRead - rowsRejected,
    rowsReplaced: Number(counts?.replaced ?? 0),
    periods: counts?.periods ?? '',
  };
  await runSqlFile(conn, `${SQL}/plan_loads.sql`, {
    load_id: loadId,
    run_id: ctx.runId,
    source: sourceName,
    file,
    hash: sha256,
    bytes,
    periods: result.periods,
    read: rowsRead,
    loaded: result.rowsLoaded,
    rejected: rowsRejected,
    replaced: result.rowsReplaced,
  });
  await runSqlFile(conn, `${SQL}/plan_cleanup.sql`);
  log.info('plan file imported', { file, source, rows_read: rowsRead, rows_loaded: result.rowsLoaded, rows_rejected: rowsRejected, periods: result.periods });
  return result;
}

/**
 * Imports files of one source in order. With `quarantine` (the drop folder), a file that cannot be read at all is
 * recorded (a reject and a 'failed' load; an unchanged failed file is not retried) and the others go on; without it
 * (`import plan-…`) the first such file fails the whole import.
 */
export async function importPlanFiles(
  ctx: PlanImportContext,
  source: PlanSource,
  files: readonly string[],
  opts: { quarantine?: boolean } = {},
): Promise<{ rowsRead: number; rowsLoaded: number; rowsRejected: number; quarantined: string[]; files: PlanFileResult[] }> {
  const { conn } = ctx;
  await preparePlanStaging(conn);
  await prepareServiceUseStaging(conn, ctx.config.serviceUse);
  for (const [schema, table, job] of [['staging', 'stg_statfi__municipality_years', 'regions'], ['staging', 'stg_config__organisations', 'organisation']] as const) {
    if (!(await tableExists(conn, schema, table))) throw new Error(`${schema}.${table} is not loaded: run \`npm run pipeline -- run ${job}\` (or \`run all\`) first`);
  }
  await writeSpecialtyGroups(conn, ctx.config.plan.specialtyGroups);
  const aliases = loadPlanAliases(ctx.config.plan.aliases)[source];
  const results: PlanFileResult[] = [];
  const quarantined: string[] = [];
  for (const file of files) {
    try {
      results.push(await importPlanFile(ctx, source, file, aliases));
    } catch (e) {
      if (!(opts.quarantine && e instanceof InputFileError)) throw e;
      const hash = failedFileKey(file);
      const [seen] = await querySqlFile<{ n: bigint }>(conn, `${SQL}/failed_file.sql`, { hash });
      if (Number(seen?.n ?? 0) > 0) continue;
      ctx.log.error('plan file quarantined', { file, error: e.message });
      const failed = { run_id: ctx.runId, source: `plan_${source}`, file };
      await runSqlFile(conn, 'ingest/rejected_rows.file.sql', { ...failed, line: e.line, column: e.field, reason: e.message });
      await runSqlFile(conn, `${SQL}/plan_loads.failed.sql`, { ...failed, hash, reason: e.message });
      results.push({ file, status: 'failed', rowsRead: 0, rowsLoaded: 0, rowsRejected: 1, rowsReplaced: 0, periods: '' });
      quarantined.push(e.message);
    }
  }
  const sum = (k: 'rowsRead' | 'rowsLoaded' | 'rowsRejected') => results.reduce((a, r) => a + r[k], 0);
  return { rowsRead: sum('rowsRead'), rowsLoaded: sum('rowsLoaded'), rowsRejected: sum('rowsRejected'), quarantined, files: results };
}
