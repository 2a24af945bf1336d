/**
 * SQL for reading one service-use extract in bulk with DuckDB's CSV reader: every column as text, then
 * normalised and checked with set-based expressions (no JavaScript row loop). Pure string building from a
 * validated spec; the file path is a bind parameter ($path), identifiers come from fixed lists.
 */
import { COUNT_COLUMNS, type CanonicalColumn, type ExtractKind, SERVICE_TYPES, type ServiceType } from './aliases.js';
import { XLSX_LINE_COLUMN } from './convert.js';

export interface ReadSpec {
  kind: ExtractKind;
  /** Per file column: its canonical name, or null (ignored). */
  columns: (CanonicalColumn | null)[];
  delimiter: string;
  /** DuckDB's own encodings: 'utf-8', 'utf-16', 'latin-1'. */
  encoding: 'utf-8' | 'utf-16' | 'latin-1';
  /** Numbers may use a decimal comma (`1 234,50`). */
  decimalComma: boolean;
  /** The file has a last column XLSX_LINE_COLUMN with the source row number (converted workbooks). */
  lineColumn: boolean;
  /** Label (lower case, trimmed) → canonical service type. */
  serviceTypes: ReadonlyMap<string, ServiceType>;
  /** First and last accepted month, 'YYYY-MM'. */
  earliestMonth: string;
  latestMonth: string;
  /** Names of DuckDB's temporary reject tables for this read (structural errors: column count, quotes, encoding). */
  rejectsTable: string;
  rejectsScan: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`invalid identifier ${name}`);
  return name;
}

/** Reader column names: canonical names, `x_<n>` for ignored columns, and the xlsx line column. */
export function readerColumnNames(spec: Pick<ReadSpec, 'columns' | 'lineColumn'>): string[] {
  const names = spec.columns.map((c, i) => c ?? `x_${i + 1}`);
  if (spec.lineColumn) names.push(XLSX_LINE_COLUMN);
  return names;
}

/** The read_csv(...) call: header skipped, columns named by us, all VARCHAR, structural errors to reject tables. */
export function readerSql(spec: ReadSpec): string {
  const columns = readerColumnNames(spec)
    .map((n) => `${sqlString(n)}: 'VARCHAR'`)
    .join(', ');
  return `read_csv($path, header = true, auto_detect = false, delim = ${sqlString(spec.delimiter)}, quote = '"', escape = '"',
    encoding = ${sqlString(spec.encoding)}, columns = {${columns}}, null_padding = false,
    store_rejects = true, rejects_table = ${sqlString(ident(spec.rejectsTable))}, rejects_scan = ${sqlString(ident(spec.rejectsScan))})`;
}

const has = (spec: ReadSpec, c: CanonicalColumn) => spec.columns.includes(c);

/** Text with surrounding spaces removed; NULL for an empty cell. */
const txt = (col: string) => `nullif(trim(${col}), '')`;

/** A number as text: spaces (also no-break and narrow no-break) removed; with a decimal comma, '1.234,5' → '1234.5'. */
function numberText(spec: ReadSpec, col: string): string {
  const v = `replace(replace(replace(trim(${col}), ' ', ''), chr(160), ''), chr(8239), '')`;
  return spec.decimalComma ? `(case when contains(${v}, ',') then replace(replace(${v}, '.', ''), ',', '.') else ${v} end)` : v;
}

const MONTH_FORMATS = ['%Y-%m', '%m/%Y', '%m.%Y', '%Y%m', '%d.%m.%Y', '%Y/%m', '%m-%Y'];
const DATE_FORMATS = ['%d.%m.%Y', '%Y-%m-%d %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y %H:%M:%S', '%Y/%m/%d', '%d/%m/%Y'];
const list = (xs: string[]) => `[${xs.map(sqlString).join(', ')}]`;

function dateExpr(col: string): string {
  const v = txt(col);
  return `coalesce(try_cast(${v} as date), cast(try_strptime(${v}, ${list(DATE_FORMATS)}) as date))`;
}

function monthExpr(col: string): string {
  const v = txt(col);
  return `cast(date_trunc('month', coalesce(try_cast(${v} as date), cast(try_strptime(${v}, ${list(MONTH_FORMATS)}) as date))) as date)`;
}

function serviceTypeExpr(spec: ReadSpec): string {
  const byType = new Map<ServiceType, string[]>();
  for (const [label, type] of spec.serviceTypes) byType.set(type, [...(byType.get(type) ?? []), label]);
  const whens = SERVICE_TYPES.filter((t) => byType.has(t))
    .map((t) => `when lower(trim(service_type)) in (${(byType.get(t) ?? []).map(sqlString).join(', ')}) then ${sqlString(t)}`)
    .join(' ');
  return `(case ${whens} end)`;
}

interface Check {
  column: string;
  bad: string;
  reason: string;
  raw: string;
}

/**
 * The normalised rows: typed values, plus `err_column`, `err_reason`, `err_value` of the first problem a row has
 * on its own (codes against the code lists are checked later, per group). With `withLine`, also `line`: the line
 * in the file (xlsx: the worksheet row) before adjusting for structurally rejected lines.
 */
export function normalisedSql(spec: ReadSpec, withLine: boolean): string {
  // Inner select: typed values next to the raw text (raw_<column>); outer select: the checks on the typed values.
  const sel: string[] = [];
  const checks: Check[] = [];
  const raw = (c: CanonicalColumn) => {
    sel.push(`${c} as raw_${c}`);
    return `raw_${c}`;
  };
  if (withLine) sel.push(spec.lineColumn ? `try_cast(${XLSX_LINE_COLUMN} as bigint) as rn` : 'row_number() over () as rn');
  const monthCol = spec.kind === 'monthly' ? 'month' : 'event_date';
  raw(monthCol);
  if (spec.kind === 'monthly') {
    sel.push(`${monthExpr('month')} as month`);
    checks.push({
      column: 'month',
      bad: 'month is null',
      reason: 'not a month (YYYY-MM, YYYY-MM-DD, MM/YYYY, MM.YYYY, DD.MM.YYYY or YYYYMM)',
      raw: 'raw_month',
    });
  } else {
    sel.push(`${dateExpr('event_date')} as event_date`);
    sel.push(`cast(date_trunc('month', ${dateExpr('event_date')}) as date) as month`);
    checks.push({ column: 'event_date', bad: 'event_date is null', reason: 'not a date (YYYY-MM-DD or DD.MM.YYYY)', raw: 'raw_event_date' });
  }
  checks.push({
    column: monthCol,
    bad: `month not between date '${spec.earliestMonth}-01' and date '${spec.latestMonth}-01'`,
    reason: `month outside the accepted range ${spec.earliestMonth}..${spec.latestMonth}`,
    raw: `raw_${monthCol}`,
  });
  raw('municipality_code');
  sel.push(
    `case when length(trim(municipality_code)) between 1 and 2 then lpad(trim(municipality_code), 3, '0') else ${txt('municipality_code')} end as municipality_code`,
  );
  checks.push({ column: 'municipality_code', bad: 'municipality_code is null', reason: 'missing municipality code', raw: 'raw_municipality_code' });
  raw('specialty_code');
  sel.push(`upper(${txt('specialty_code')}) as specialty_code`);
  checks.push({ column: 'specialty_code', bad: 'specialty_code is null', reason: 'missing specialty code', raw: 'raw_specialty_code' });
  raw('service_type');
  sel.push(`${serviceTypeExpr(spec)} as service_type`);
  checks.push({
    column: 'service_type',
    bad: 'service_type is null',
    reason: `unknown service type (expected ${SERVICE_TYPES.join(', ')} or an alias in config/service-use-aliases.yaml)`,
    raw: 'raw_service_type',
  });

  const countCols = spec.kind === 'monthly' ? COUNT_COLUMNS : (['bed_days'] as const);
  for (const c of countCols) {
    if (!has(spec, c)) continue;
    const r = raw(c);
    sel.push(`try_cast(${numberText(spec, c)} as decimal(20,4)) as dec_${c}`);
    checks.push({ column: c, bad: `nullif(trim(${r}), '') is not null and (dec_${c} is null or dec_${c} <> trunc(dec_${c}))`, reason: 'not a whole number', raw: r });
    checks.push({ column: c, bad: `dec_${c} < 0`, reason: 'negative count', raw: r });
  }
  if (has(spec, 'cost_eur')) {
    const r = raw('cost_eur');
    sel.push(`try_cast(${numberText(spec, 'cost_eur')} as decimal(18,2)) as cost_eur`);
    checks.push({ column: 'cost_eur', bad: `nullif(trim(${r}), '') is not null and cost_eur is null`, reason: 'not a number (euros)', raw: r });
  }
  if (spec.kind === 'events') {
    if (has(spec, 'end_date')) {
      const r = raw('end_date');
      sel.push(`${dateExpr('end_date')} as end_date`);
      checks.push({ column: 'end_date', bad: `nullif(trim(${r}), '') is not null and end_date is null`, reason: 'not a date (YYYY-MM-DD or DD.MM.YYYY)', raw: r });
      checks.push({ column: 'end_date', bad: 'end_date < event_date', reason: 'ends before it starts', raw: r });
    }
    if (has(spec, 'patient_id')) sel.push(`${txt('patient_id')} as patient_id`);
  }
  const when = (pick: (c: Check) => string) => `case ${checks.map((c) => `when ${c.bad} then ${pick(c)}`).join(' ')} end`;
  const outer = ['*'];
  for (const c of countCols) if (has(spec, c)) outer.push(`cast(dec_${c} as bigint) as ${c}`);
  outer.push(`${when((c) => sqlString(c.column))} as err_column`);
  if (withLine) {
    outer.push(`${when((c) => sqlString(c.reason))} as err_reason`);
    outer.push(`${when((c) => c.raw)} as err_value`);
  }
  return `select ${outer.join(',\n  ')}\nfrom (select ${sel.join(',\n  ')}\nfrom ${readerSql(spec)}) typed`;
}

/** Phase 1: the whole file aggregated per month × municipality × specialty × service type (and first problem). */
export function groupsSql(spec: ReadSpec, table: string): string {
  const aggs: string[] = ['count(*) as source_rows'];
  if (spec.kind === 'monthly') {
    for (const c of ['visits', 'care_periods', 'bed_days'] as const) {
      aggs.push(has(spec, c) ? `coalesce(sum(${c}), 0) as ${c}` : `0::hugeint as ${c}`);
    }
    aggs.push(has(spec, 'patients') ? 'sum(patients) as patients' : 'null::hugeint as patients');
  } else {
    aggs.push(`count(*) filter (where service_type <> 'inpatient_period') as visits`);
    aggs.push(`count(*) filter (where service_type = 'inpatient_period') as care_periods`);
    const stay = has(spec, 'end_date') ? `greatest(date_diff('day', event_date, end_date), 1)` : '0';
    const bed = has(spec, 'bed_days') ? `coalesce(bed_days, ${stay})` : stay;
    aggs.push(`coalesce(sum(${bed}) filter (where service_type = 'inpatient_period'), 0) as bed_days`);
    aggs.push(has(spec, 'patient_id') ? 'count(distinct patient_id) as patients' : 'null::bigint as patients');
  }
  aggs.push(has(spec, 'cost_eur') ? 'sum(cost_eur) as cost_eur' : 'null::decimal(18,2) as cost_eur');
  return `create or replace temp table ${ident(table)} as
select month, municipality_code, specialty_code, service_type, err_column,
  ${aggs.join(',\n  ')}
from (${normalisedSql(spec, false)}) n
group by all`;
}

/**
 * Phase 2 (only when phase 1 found problems): re-reads the file with line numbers and writes one ops.rejected_rows
 * row per bad input row. `badKeys` holds the groups that failed a code-list check (bad_column, reason).
 * Lines: row numbers shifted past the lines DuckDB itself rejected (structural errors, in `structTable`).
 */
export function rejectsInsertSql(spec: ReadSpec, badKeys: string, structTable: string): string {
  const line = spec.lineColumn
    ? 'n.rn'
    : `n.rn + 1 + (select count(*) from ${ident(structTable)} s where s.good_before < n.rn)`;
  return `insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'service_use', $source_file, ${line},
  coalesce(n.err_column, b.bad_column),
  coalesce(n.err_reason, b.reason),
  coalesce(n.err_value, case b.bad_column when 'municipality_code' then n.raw_municipality_code else n.raw_specialty_code end)
from (${normalisedSql(spec, true)}) n
left join ${ident(badKeys)} b
  on n.err_column is null and b.month = n.month and b.municipality_code = n.municipality_code
 and b.specialty_code = n.specialty_code and b.service_type = n.service_type
where n.err_column is not null or b.bad_column is not null`;
}
