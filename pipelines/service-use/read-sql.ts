/**
 * SQL for reading one service-use extract in bulk with DuckDB's CSV reader: every column as text, then
 * normalised and checked with set-based expressions (no JavaScript row loop). Pure string building from a
 * validated spec; the file path is a bind parameter ($path), identifiers come from fixed lists.
 */
import { AGE_GROUPS, COUNT_COLUMNS, type CanonicalColumn, type ExtractKind, SERVICE_TYPES, type ServiceType } from './aliases.js';
import { XLSX_LINE_COLUMN } from '../ingest/convert.js';
import { sqlString } from '../warehouse.js';

export interface ReadSpec {
  kind: ExtractKind;
  /** Per file column: its canonical name, or null (ignored). */
  columns: (CanonicalColumn | null)[];
  delimiter: string;
  /** DuckDB's own encodings: 'utf-8', 'utf-16', 'latin-1'. */
  encoding: 'utf-8' | 'utf-16' | 'latin-1';
  /** The quote character: '"', or '' when the file's only quotes are stray ones (import.ts re-reads it so). */
  quote?: '"' | '';
  /** Numbers may use a decimal comma (`1 234,50`). */
  decimalComma: boolean;
  /** The file has a last column XLSX_LINE_COLUMN with the source row number (converted workbooks). */
  lineColumn: boolean;
  /** Label (lower case, trimmed) → canonical service type. */
  serviceTypes: ReadonlyMap<string, ServiceType>;
  /** First and last accepted month, 'YYYY-MM'. */
  earliestMonth: string;
  latestMonth: string;
  /** Format hints sniffed from the first lines (tried first): event dates, and months of aggregated extracts. */
  dateFormat?: string | null;
  monthFormat?: string | null;
  /** Names of DuckDB's temporary reject tables for this read (structural errors: column count, quotes, encoding). */
  rejectsTable: string;
  rejectsScan: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

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
  const quote = sqlString(spec.quote ?? '"');
  return `read_csv($path, header = true, auto_detect = false, delim = ${sqlString(spec.delimiter)}, quote = ${quote}, escape = ${quote},
    encoding = ${sqlString(spec.encoding)}, columns = {${columns}}, null_padding = false,
    store_rejects = true, rejects_table = ${sqlString(ident(spec.rejectsTable))}, rejects_scan = ${sqlString(ident(spec.rejectsScan))})`;
}

const has = (spec: ReadSpec, c: CanonicalColumn) => spec.columns.includes(c);

export const MONTH_FORMATS = ['%Y-%m', '%Y-%m-%d', '%m/%Y', '%m.%Y', '%Y%m', '%d.%m.%Y', '%Y/%m', '%m-%Y'];
export const DATE_FORMATS = ['%Y-%m-%d', '%d.%m.%Y', '%Y-%m-%d %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y %H:%M:%S', '%Y/%m/%d', '%d/%m/%Y'];
const list = (xs: string[]) => `[${xs.map(sqlString).join(', ')}]`;

/**
 * Text → DATE trying `first` (the format sniffed from the file's first lines) before the others: COALESCE only
 * evaluates the fallbacks for the rows the first format did not parse, so a file in one format pays for one parse.
 */
function parseDate(v: string, formats: string[], first: string | null | undefined): string {
  const primary = first && formats.includes(first) ? first : (formats[0] as string);
  const rest = formats.filter((f) => f !== primary);
  return `coalesce(cast(try_strptime(${v}, ${sqlString(primary)}) as date), cast(try_strptime(${v}, ${list(rest)}) as date))`;
}

/** Which of `formats` parses every sample value (the most specific first); null if none. Pure. */
export function sniffFormat(values: readonly string[], formats: readonly string[]): string | null {
  const sample = values.map((v) => v.trim()).filter((v) => v !== '');
  if (!sample.length) return null;
  const patterns: Record<string, RegExp> = {
    '%Y-%m': /^\d{4}-\d{1,2}$/,
    '%Y-%m-%d': /^\d{4}-\d{1,2}-\d{1,2}$/,
    '%m/%Y': /^\d{1,2}\/\d{4}$/,
    '%m.%Y': /^\d{1,2}\.\d{4}$/,
    '%Y%m': /^\d{6}$/,
    '%d.%m.%Y': /^\d{1,2}\.\d{1,2}\.\d{4}$/,
    '%Y/%m': /^\d{4}\/\d{1,2}$/,
    '%m-%Y': /^\d{1,2}-\d{4}$/,
    '%Y-%m-%d %H:%M:%S': /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}$/,
    '%d.%m.%Y %H:%M': /^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}$/,
    '%d.%m.%Y %H:%M:%S': /^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}:\d{2}$/,
    '%Y/%m/%d': /^\d{4}\/\d{1,2}\/\d{1,2}$/,
    '%d/%m/%Y': /^\d{1,2}\/\d{1,2}\/\d{4}$/,
  };
  return formats.find((f) => patterns[f] && sample.every((v) => patterns[f]?.test(v))) ?? null;
}

/**
 * Age groups (the optional `age_group` column), in three steps so that each is evaluated once per row:
 * ageTextSql cleans the text (lower case, spaces and the unit words v, vuotta, år, years removed; en and em dashes
 * are accepted as hyphens), agePartsSql splits it into the struct {lo, hi, open}, ageGroupSql maps that to a
 * canonical group of AGE_GROUPS ('0-4' ... '80-84', '85+') or NULL when it is not an age, and ageStraddlesSql
 * tells a range over a group boundary ('0-9', '80+') apart. Accepted: a range lo-hi inside one group
 * ('0-4', '00-04', '0 – 4', '75-79 v', '90-94'), an open range from 85 up ('85-', '85+', '85 v+', '90+') and a
 * plain age in whole years 0..120. Ranges within 85..120 fold into '85+'.
 */
export const AGE_PATTERN = '^(\\d{1,3})(?:[-\u2013\u2014](\\d{1,3})|([-\u2013\u2014+]))?$';

export function ageTextSql(column: string): string {
  return `nullif(regexp_replace(lower(trim(${column})), '\\s+|vuotta|v\\.|v|år|years|year|yrs', '', 'g'), '')`;
}

export function agePartsSql(text: string): string {
  return `regexp_extract(${text}, ${sqlString(AGE_PATTERN)}, ['lo', 'hi', 'open'])`;
}

function ageBounds(parts: string): { lo: string; hi: string; valid: string } {
  const lo = `try_cast(nullif(${parts}.lo, '') as integer)`;
  // An open range ('85-', '85+') has hi 999.
  const hi = `(case when ${parts}.open <> '' then 999 else coalesce(try_cast(nullif(${parts}.hi, '') as integer), ${lo}) end)`;
  return { lo, hi, valid: `(${lo} <= 120 and ${hi} >= ${lo} and (${hi} <= 120 or ${hi} = 999))` };
}

export function ageGroupSql(parts: string): string {
  const { lo, hi, valid } = ageBounds(parts);
  const first = `${lo} // 5 * 5`;
  return `(case when not ${valid} then null
    when ${lo} >= 85 then '85+'
    when ${hi} <= ${first} + 4 then cast(${first} as varchar) || '-' || cast(${first} + 4 as varchar) end)`;
}

export function ageStraddlesSql(parts: string): string {
  const { lo, hi, valid } = ageBounds(parts);
  return `coalesce(${valid} and ${lo} < 85 and ${hi} > ${lo} // 5 * 5 + 4, false)`;
}

function serviceTypeCase(spec: ReadSpec, label: string): string {
  const byType = new Map<ServiceType, string[]>();
  for (const [l, type] of spec.serviceTypes) byType.set(type, [...(byType.get(type) ?? []), l]);
  const whens = SERVICE_TYPES.filter((t) => byType.has(t))
    .map((t) => `when ${label} in (${(byType.get(t) ?? []).map(sqlString).join(', ')}) then ${sqlString(t)}`)
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
 * on its own (codes against the code lists are checked later, per group). With `withLine`, also `rn`: the line
 * in the file (xlsx: the worksheet row) before adjusting for structurally rejected lines.
 * Three levels so that every expression is evaluated once per row: cleaned text → typed values → checks.
 */
export function normalisedSql(spec: ReadSpec, withLine: boolean): string {
  const l1: string[] = []; // raw_<c> (as read), t_<c> (trimmed text; numbers without spaces)
  const l2: string[] = ['*']; // typed values
  const checks: Check[] = [];
  const present = (c: CanonicalColumn) => has(spec, c);
  if (withLine) l1.push(spec.lineColumn ? `try_cast(${XLSX_LINE_COLUMN} as bigint) as rn` : 'row_number() over () as rn');
  const text = (c: CanonicalColumn) => {
    l1.push(`${c} as raw_${c}`, `nullif(trim(${c}), '') as t_${c}`);
  };
  const numberText = (c: CanonicalColumn) => {
    // Spaces (also no-break and narrow no-break) inside a number are thousands separators. The replaces run only on
    // values that have one: the same result, and most values have none (about half the cost of the column's cleaning).
    const spaced = `contains(${c}, ' ') or contains(${c}, chr(160)) or contains(${c}, chr(8239))`;
    const stripped = `replace(replace(replace(trim(${c}), ' ', ''), chr(160), ''), chr(8239), '')`;
    l1.push(`${c} as raw_${c}`, `nullif(case when ${spaced} then ${stripped} else trim(${c}) end, '') as t_${c}`);
    return spec.decimalComma ? `(case when contains(t_${c}, ',') then replace(replace(t_${c}, '.', ''), ',', '.') else t_${c} end)` : `t_${c}`;
  };

  const monthCol = spec.kind === 'monthly' ? 'month' : 'event_date';
  text(monthCol);
  if (spec.kind === 'monthly') {
    l2.push(`cast(date_trunc('month', ${parseDate('t_month', MONTH_FORMATS, spec.monthFormat)}) as date) as month`);
    checks.push({ column: 'month', bad: 'month is null', reason: 'not a month (YYYY-MM, YYYY-MM-DD, MM/YYYY, MM.YYYY, DD.MM.YYYY or YYYYMM)', raw: 'raw_month' });
  } else {
    l2.push(`${parseDate('t_event_date', DATE_FORMATS, spec.dateFormat)} as event_date`);
    checks.push({ column: 'event_date', bad: 'event_date is null', reason: 'not a date (YYYY-MM-DD or DD.MM.YYYY)', raw: 'raw_event_date' });
  }
  checks.push({
    column: monthCol,
    bad: `month not between date '${spec.earliestMonth}-01' and date '${spec.latestMonth}-01'`,
    reason: `month outside the accepted range ${spec.earliestMonth}..${spec.latestMonth}`,
    raw: `raw_${monthCol}`,
  });
  text('municipality_code');
  l2.push(`case when length(t_municipality_code) <= 2 then lpad(t_municipality_code, 3, '0') else t_municipality_code end as municipality_code`);
  checks.push({ column: 'municipality_code', bad: 'municipality_code is null', reason: 'missing municipality code', raw: 'raw_municipality_code' });
  text('specialty_code');
  l2.push('upper(t_specialty_code) as specialty_code');
  checks.push({ column: 'specialty_code', bad: 'specialty_code is null', reason: 'missing specialty code', raw: 'raw_specialty_code' });
  l1.push('service_type as raw_service_type', 'lower(trim(service_type)) as t_service_type');
  l2.push(`${serviceTypeCase(spec, 't_service_type')} as service_type`);
  checks.push({
    column: 'service_type',
    bad: 'service_type is null',
    reason: `unknown service type (expected ${SERVICE_TYPES.join(', ')} or an alias in config/service-use-aliases.yaml)`,
    raw: 'raw_service_type',
  });

  if (present('age_group')) {
    l1.push(`age_group as raw_age_group`, `${ageTextSql('age_group')} as t_age_group`);
    l2.push(`${agePartsSql('t_age_group')} as age_parts`);
  }

  const countCols = (spec.kind === 'monthly' ? COUNT_COLUMNS : (['bed_days'] as const)).filter(present);
  for (const c of countCols) {
    l2.push(`try_cast(${numberText(c)} as decimal(20,4)) as dec_${c}`);
    checks.push({ column: c, bad: `t_${c} is not null and (dec_${c} is null or dec_${c} <> trunc(dec_${c}))`, reason: 'not a whole number', raw: `raw_${c}` });
    checks.push({ column: c, bad: `dec_${c} < 0`, reason: 'negative count', raw: `raw_${c}` });
  }
  if (present('cost_eur')) {
    l2.push(`try_cast(${numberText('cost_eur')} as decimal(18,2)) as cost_eur`);
    checks.push({ column: 'cost_eur', bad: 't_cost_eur is not null and cost_eur is null', reason: 'not a number (euros)', raw: 'raw_cost_eur' });
  }
  if (spec.kind === 'events') {
    if (present('end_date')) {
      text('end_date');
      l2.push(`${parseDate('t_end_date', DATE_FORMATS, spec.dateFormat)} as end_date`);
      checks.push({ column: 'end_date', bad: 't_end_date is not null and end_date is null', reason: 'not a date (YYYY-MM-DD or DD.MM.YYYY)', raw: 'raw_end_date' });
      checks.push({ column: 'end_date', bad: 'end_date < event_date', reason: 'ends before it starts', raw: 'raw_end_date' });
    }
    if (present('patient_id')) l1.push(`nullif(trim(patient_id), '') as patient_id`);
  }
  const when = (pick: (c: Check) => string) => `case ${checks.map((c) => `when ${c.bad} then ${pick(c)}`).join(' ')} end`;
  const l3 = ['*'];
  if (spec.kind === 'events') l3.push(`cast(date_trunc('month', event_date) as date) as month`);
  if (present('age_group')) {
    l3.push(`${ageGroupSql('age_parts')} as age_group`, `${ageStraddlesSql('age_parts')} as age_straddles`);
    // Checked after the row's own columns (month, codes, service type), before the counts.
    const at = checks.findIndex((c) => c.column === 'service_type') + 1;
    checks.splice(
      at,
      0,
      { column: 'age_group', bad: 'age_straddles', reason: `age group straddles the 5-year groups (${AGE_GROUPS[0]}, ${AGE_GROUPS[1]}, ..., ${AGE_GROUPS[16]}, ${AGE_GROUPS[17]})`, raw: 'raw_age_group' },
      { column: 'age_group', bad: 't_age_group is not null and age_group is null', reason: 'not an age group (0-4, 5-9, ..., 80-84, 85+) or an age in whole years 0..120', raw: 'raw_age_group' },
    );
  }
  for (const c of countCols) l3.push(`cast(dec_${c} as bigint) as ${c}`);
  const l4 = ['*', `${when((c) => sqlString(c.column))} as err_column`];
  if (withLine) {
    l4.push(`${when((c) => sqlString(c.reason))} as err_reason`);
    l4.push(`${when((c) => c.raw)} as err_value`);
  }
  return `select ${l4.join(',\n  ')}
from (select ${l3.join(', ')}
from (select ${l2.join(',\n  ')}
from (select ${l1.join(',\n  ')}
from ${readerSql(spec)}) cleaned) typed) derived`;
}

/**
 * Phase 1: the whole file aggregated per month × municipality × specialty × service type × age group (and first
 * problem); age_group is NULL for an extract without an age column.
 */
export function groupsSql(spec: ReadSpec, table: string): string {
  const aggs: string[] = ['count(*) as source_rows'];
  if (spec.kind === 'monthly') {
    for (const c of ['visits', 'care_periods', 'bed_days'] as const) {
      // An absent count column is unknown (NULL), never 0; an empty cell of a present column counts as 0.
      aggs.push(has(spec, c) ? `coalesce(sum(${c}), 0) as ${c}` : `null::hugeint as ${c}`);
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
  const age = has(spec, 'age_group');
  return `create or replace temp table ${ident(table)} as
select month, municipality_code, specialty_code, service_type, ${age ? 'age_group' : 'cast(null as varchar) as age_group'}, err_column,
  ${aggs.join(',\n  ')}
from (${normalisedSql(spec, false)}) n
group by month, municipality_code, specialty_code, service_type, ${age ? 'age_group, ' : ''}err_column`;
}

/**
 * Phase 2 (only when phase 1 found problems): re-reads the file with line numbers and writes one ops.rejected_rows
 * row per bad input row. `badKeys` holds the groups that failed a code-list check (bad_column, reason).
 * Lines: row numbers shifted past the lines DuckDB itself rejected (structural errors, in `structTable`, with the
 * lines an unterminated quote ran over).
 */
export function rejectsInsertSql(spec: ReadSpec, badKeys: string, structTable: string): string {
  const line = spec.lineColumn
    ? 'n.rn'
    : `n.rn + 1 + (select coalesce(sum(1 + s.swallowed), 0) from ${ident(structTable)} s where s.good_before < n.rn)`;
  return `insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'service_use', $source_file, ${line},
  coalesce(n.err_column, b.bad_column),
  coalesce(n.err_reason, b.reason),
  coalesce(n.err_value, case b.bad_column when 'municipality_code' then n.raw_municipality_code else n.raw_specialty_code end)
from (${normalisedSql(spec, true)}) n
left join ${ident(badKeys)} b
  on n.err_column is null and b.month = n.month and b.municipality_code = n.municipality_code
 and b.specialty_code = n.specialty_code and b.service_type = n.service_type${has(spec, 'age_group') ? ' and b.age_group is not distinct from n.age_group' : ''}
where n.err_column is not null or b.bad_column is not null`;
}
