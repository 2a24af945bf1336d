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
import { literalPath, queryRows } from '../warehouse.js';
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

/** SQL for a number cell: spaces ignored; with a decimal comma, `1.234,50` and `245 310,55` read as numbers. Pure. */
function numberSql(text: string, decimalComma: boolean): string {
  const bare = `regexp_replace(${text}, '[\\s\\x{00A0}\\x{202F}]', '', 'g')`;
  return decimalComma
    ? `try_cast(case when ${bare} like '%,%' then replace(replace(${bare}, '.', ''), ',', '.') else ${bare} end as double)`
    : `try_cast(${bare} as double)`;
}

/** Problems of one column of a kind (typed value `v`, text `t`), as (column, reason) checks over temp.plan_typed. Pure. */
function kindChecks(col: string, kind: Kind): [string, string][] {
  const t = `${col}_text`;
  const checks: [string, string][] = [];
  if (kind === 'year') checks.push([`${t} is not null and (${col} is null or ${col} <> floor(${col}) or ${col} not between 2000 and 2100)`, 'not a year 2000-2100']);
  if (kind === 'month') checks.push([`${t} is not null and ${col} is null`, 'not a month 1-12 or YYYY-MM of the row\'s year']);
  if (kind === 'count') checks.push([`${t} is not null and (${col} is null or ${col} < 0 or ${col} <> floor(${col}))`, 'not a whole number ≥ 0']);
  if (kind === 'euros') checks.push([`${t} is not null and ${col} is null`, 'not a number of euros']);
  if (kind === 'version') checks.push([`${t} is not null and (${col} is null or ${col} < 1 or ${col} <> floor(${col}))`, 'not a version number ≥ 1']);
  return checks;
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

const TARGET = { agreements: 'staging.stg_plan__agreements', budgets: 'staging.stg_plan__budgets' } as const;
const PERIOD = { agreements: ['organiser', 'year'], budgets: ['organisation_code', 'year'] } as const;

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
    try {
      await ctx.conn.run(
        `create or replace temp table plan_raw as
         select *, ${lineFromColumn ? `cast(c${header.length} as bigint)` : '(row_number() over ()) + 1'} as source_line
         from read_csv($path, header = false, skip = 1, delim = $delim, quote = '"', escape = '"', columns = ${columns},
                       null_padding = false, strict_mode = true)`,
        { path: literalPath(path), delim: delimiter },
      );
    } catch (e) {
      throw new InputFileError(file, null, null, `DuckDB could not read the file (delimiter "${delimiter}"): ${duckdbReason(e)}`);
    }
    return { mapped, decimalComma: delimiter !== ',' };
  } finally {
    scratch.cleanup();
  }
}

/** Types and checks temp.plan_raw into temp.plan_typed and temp.plan_problems (one row per bad line, the first problem). */
async function checkRows(ctx: PlanImportContext, source: PlanSource, mapped: (string | null)[], decimalComma: boolean): Promise<void> {
  const { conn } = ctx;
  const cols = PLAN_COLUMNS[source];
  const text = (c: string) => {
    const i = mapped.indexOf(c);
    return i < 0 ? 'cast(null as varchar)' : `nullif(trim(c${i}), '')`;
  };
  const typed = Object.entries(cols).map(([c, { kind }]) => {
    const t = text(c);
    let v: string;
    if (kind === 'code') v = t;
    else if (kind === 'month') {
      v = `case when regexp_full_match(${t}, '\\d{1,2}') and cast(${t} as integer) between 1 and 12 then cast(${t} as integer)
                when regexp_full_match(${t}, '\\d{4}-(0[1-9]|1[0-2])') and left(${t}, 4) = ${text('year')} then cast(right(${t}, 2) as integer) end`;
    } else v = numberSql(t, decimalComma);
    return `${t} as ${c}_text, ${v} as ${c}`;
  });
  await conn.run(`create or replace temp table plan_typed as select source_line, ${typed.join(',\n')} from temp.plan_raw`);
  // Source-specific normalisation: codes, defaults.
  if (source === 'agreements') {
    await conn.run(`create or replace temp table plan_types as select * from (values ${[...loadAliases(ctx.config.serviceUse.aliases).serviceTypes]
      .map(([label, type]) => `('${label.replace(/'/g, "''")}', '${type}')`)
      .join(', ')}, ('all', 'ALL'), ('kaikki', 'ALL')) t(label, type_code)`);
    // The areas of the organisation model an agreement line may name instead of a municipality (docs/plan.md).
    await conn.run(`create or replace temp table plan_areas as
      select organisation_code, year(valid_from) as first_year, coalesce(year(valid_to), 9999) as last_year
      from staging.stg_config__organisations where organisation_type in ('collaboration_area', 'sub_area')`);
    await conn.run(`create or replace temp table plan_norm as
      select t.*,
             case when regexp_full_match(municipality_code, '\\d{1,3}') then lpad(municipality_code, 3, '0')
                  when lower(municipality_code) in (select organisation_code from temp.plan_areas) then lower(municipality_code)
                  else municipality_code end as municipality_norm,
             coalesce(g.group_code, upper(specialty_code), 'ALL') as specialty_norm,
             case when t.service_type is null then 'ALL' else s.type_code end as service_type_norm,
             cast(version as integer) as version_norm
      from temp.plan_typed t left join temp.plan_types s on s.label = lower(trim(t.service_type))
      left join (select distinct group_code, lower(group_name_fi) as group_name from staging.stg_config__specialty_groups) g
        on lower(t.specialty_code) in (g.group_code, g.group_name)`);
  } else {
    await conn.run(`create or replace temp table plan_norm as
      select *, lower(trim(account_group)) as account_group_norm, cast(coalesce(version, 1) as integer) as version_norm
      from temp.plan_typed`);
  }
  const generic: string[] = [];
  for (const [c, col] of Object.entries(cols)) {
    if (col.required) generic.push(`select source_line, '${c}' as column_name, 'missing' as reason, 0 as prio from temp.plan_norm where ${c}_text is null`);
    for (const [cond, reason] of kindChecks(c, col.kind)) generic.push(`select source_line, '${c}', '${reason.replace(/'/g, "''")}', 1 from temp.plan_norm where ${cond}`);
  }
  const own =
    source === 'agreements'
      ? `select source_line, 'organiser', 'not a wellbeing services county of the organisation model', 2 from temp.plan_norm
           where organiser is not null and organiser not in (select organisation_code from staging.stg_config__organisations where organisation_type = 'wellbeing_county')
         union all
         select source_line, 'municipality_code', 'not a Statistics Finland municipality code nor an area of the organisation model', 2 from temp.plan_norm
           where municipality_norm is not null and municipality_norm not in (select municipality_code from staging.stg_statfi__municipality_years)
             and municipality_norm not in (select organisation_code from temp.plan_areas)
         union all
         select n.source_line, 'municipality_code', 'an area of the organisation model that is not valid in the line''s year', 2
           from temp.plan_norm n join temp.plan_areas a on a.organisation_code = n.municipality_norm
           where n.year is not null and n.year not between a.first_year and a.last_year
         union all
         select source_line, 'specialty_code', 'not a code of the specialty list, a specialty group or ALL', 2 from temp.plan_norm
           where specialty_norm <> 'ALL' and specialty_norm not in (select specialty_code from staging.stg_service_use__specialties
                                                                   union all select group_code from staging.stg_config__specialty_groups)
         union all
         select source_line, 'service_type', 'unknown service type', 2 from temp.plan_norm where service_type_text is not null and service_type_norm is null
         union all
         select source_line, 'cost_eur', 'no ordered amount (visits, care periods, bed days or euros)', 2 from temp.plan_norm
           where visits_text is null and care_periods_text is null and bed_days_text is null and cost_eur_text is null
         union all
         select source_line, 'version', 'one agreement version per organiser and year in a file (this file also has version ' || v_max || ')', 3
           from (select *, max(version_norm) over (partition by organiser, year) as v_max from temp.plan_norm) where version_norm < v_max
         union all
         select n.source_line, 'version', 'version ' || n.version_norm || ' is older than the loaded version ' || s.version || ' of this organiser and year', 3
           from temp.plan_norm n join (select organiser, year, max(version) as version from staging.stg_plan__agreements group by all) s
             on s.organiser = n.organiser and s.year = n.year where n.version_norm < s.version
`
      : `select source_line, 'organisation', 'not an organisation, service area or unit of the organisation model', 2 from temp.plan_norm
           where organisation is not null and organisation not in (select organisation_code from staging.stg_config__organisations
                                                                   union all select service_area_code from staging.stg_config__service_areas
                                                                   union all select unit_code from staging.stg_config__units)
         union all
         select n.source_line, 'version', 'version ' || n.version_norm || ' is older than the loaded version ' || s.version || ' of this organisation and year', 3
           from temp.plan_norm n join (select organisation_code, year, max(version) as version from staging.stg_plan__budgets group by all) s
             on s.organisation_code = n.organisation and s.year = n.year where n.version_norm < s.version
         union all
         select source_line, 'month', 'the account group has both a whole-year line and monthly lines this year', 4
           from (select source_line, month, count(month) over (partition by organisation, year, account_group_norm) as monthly from temp.plan_norm)
           where month is null and monthly > 0
`;
  await conn.run(`create or replace temp table plan_problems as
    select source_line, arg_min(column_name, prio) as column_name, arg_min(reason, prio) as reason
    from (${generic.join('\nunion all\n')}${generic.length ? '\nunion all\n' : ''}${own}) group by source_line`);
  // A duplicate key among the otherwise good lines: the first one loads.
  const key = source === 'agreements'
    ? ["'municipality_code'", "'same year, month, municipality, specialty and service type'", "organiser, year, month, coalesce(municipality_norm, ''), specialty_norm, service_type_norm"]
    : ["'account_group'", "'same year, month, organisation and account group'", 'organisation, year, month, account_group_norm'];
  await conn.run(`insert into temp.plan_problems
    select source_line, ${key[0]}, 'duplicate of line ' || first_line || ' (' || ${key[1]} || ')'
    from (select source_line, min(source_line) over (partition by ${key[2]}) as first_line
          from temp.plan_norm where source_line not in (select source_line from temp.plan_problems))
    where source_line > first_line`);
}

/** Imports one file inside the caller's transaction. File-level problems throw InputFileError. */
export async function importPlanFile(ctx: PlanImportContext, source: PlanSource, file: string, aliases: Map<string, string>): Promise<PlanFileResult> {
  const { conn, log } = ctx;
  const sourceName = `plan_${source}`;
  const inspection = await inspectFile(file);
  const { sha256, bytes } = inspection;
  const [done] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from ops.plan_loads where file_hash = $hash and source = $source and status = 'loaded'`, {
    hash: sha256,
    source: sourceName,
  });
  if (Number(done?.n ?? 0) > 0) {
    log.info('plan file unchanged, skipped', { file, source });
    return { file, status: 'unchanged', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsReplaced: 0, periods: '' };
  }
  const { mapped, decimalComma } = await readRaw(ctx, source, file, aliases, inspection);
  await checkRows(ctx, source, mapped, decimalComma);
  await conn.run(
    `insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
     select $run_id, $source, $file, source_line, column_name, reason, null from temp.plan_problems order by source_line`,
    { run_id: ctx.runId, source: sourceName, file },
  );
  await conn.run(`create or replace temp table plan_good as select * from temp.plan_norm where source_line not in (select source_line from temp.plan_problems)`);
  const [p1, p2] = PERIOD[source];
  const fileKey = source === 'agreements' ? 'organiser' : 'organisation';
  const [counts] = await queryRows<{ read: bigint; rejected: bigint; replaced: bigint; periods: string | null }>(
    conn,
    `select (select count(*) from temp.plan_raw) as read, (select count(*) from temp.plan_problems) as rejected,
            (select count(*) from ${TARGET[source]} s where (s.${p1}, s.${p2}) in (select (${fileKey}, year) from temp.plan_good)) as replaced,
            (select string_agg(distinct ${fileKey} || ' ' || cast(year as integer) || ' v' || version_norm, ', ' order by ${fileKey} || ' ' || cast(year as integer) || ' v' || version_norm) from temp.plan_good) as periods`,
  );
  await conn.run(`delete from ${TARGET[source]} where (${p1}, ${p2}) in (select (${fileKey}, cast(year as integer)) from temp.plan_good)`);
  const loadId = randomUUID();
  if (source === 'agreements') {
    await conn.run(
      `insert into staging.stg_plan__agreements
       select organiser, cast(year as integer), month, coalesce(municipality_norm, organiser), specialty_norm, service_type_norm,
              visits, care_periods, bed_days, cost_eur, version_norm, $file, source_line, $load_id, current_timestamp
       from temp.plan_good`,
      { file, load_id: loadId },
    );
  } else {
    await conn.run(
      `insert into staging.stg_plan__budgets
       select organisation, cast(year as integer), month, account_group_norm, euros, version_norm, $file, source_line, $load_id, current_timestamp
       from temp.plan_good`,
      { file, load_id: loadId },
    );
  }
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
  await conn.run(
    `insert into ops.plan_loads (load_id, run_id, source, source_file, file_hash, file_bytes, periods, rows_read, rows_loaded,
       rows_rejected, rows_replaced, status) values ($load_id, $run_id, $source, $file, $hash, $bytes, $periods, $read, $loaded, $rejected, $replaced, 'loaded')`,
    {
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
    },
  );
  for (const t of ['plan_raw', 'plan_typed', 'plan_norm', 'plan_types', 'plan_areas', 'plan_problems', 'plan_good']) await conn.run(`drop table if exists temp.${t}`);
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
      const [seen] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from ops.plan_loads where file_hash = $hash and status = 'failed'`, { hash });
      if (Number(seen?.n ?? 0) > 0) continue;
      ctx.log.error('plan file quarantined', { file, error: e.message });
      await conn.run(
        `insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
         values ($run_id, $source, $file, $line, $column, $reason, null)`,
        { run_id: ctx.runId, source: `plan_${source}`, file, line: e.line, column: e.field, reason: e.message },
      );
      await conn.run(
        `insert into ops.plan_loads (load_id, run_id, source, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message)
         values (gen_random_uuid()::varchar, $run_id, $source, $file, $hash, 0, 0, 0, 0, 'failed', $reason)`,
        { run_id: ctx.runId, source: `plan_${source}`, file, hash, reason: e.message },
      );
      results.push({ file, status: 'failed', rowsRead: 0, rowsLoaded: 0, rowsRejected: 1, rowsReplaced: 0, periods: '' });
      quarantined.push(e.message);
    }
  }
  const sum = (k: 'rowsRead' | 'rowsLoaded' | 'rowsRejected') => results.reduce((a, r) => a + r[k], 0);
  return { rowsRead: sum('rowsRead'), rowsLoaded: sum('rowsLoaded'), rowsRejected: sum('rowsRejected'), quarantined, files: results };
}
