import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkHeader, InputFileError, readFirstLine, splitCsvLine } from '../csv.js';
import type { ResolvedServiceUse } from '../settings/service-use.js';
import { AGE_GROUPS, SERVICE_TYPES, type ServiceType } from '../settings/vocabulary.js';

/** The canonical column names of a service-use extract (docs/service-use.md). */
export const CANONICAL_COLUMNS = [
  'month',
  'municipality_code',
  'specialty_code',
  'specialty_name',
  'service_type',
  'visits',
  'care_periods',
  'bed_days',
  'patients',
  'cost_eur',
  'drg_code',
  'age_group',
  'event_date',
  'end_date',
  'patient_id',
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

// The canonical service types (the `service_type` column of the marts) and age groups of the optional `age_group`
// column (read-sql.ts normalises the accepted forms to these): pipelines/settings/vocabulary.ts.
export { AGE_GROUPS, SERVICE_TYPES, type ServiceType };

export const COUNT_COLUMNS = ['visits', 'care_periods', 'bed_days', 'patients'] as const;
export const MEASURE_COLUMNS = [...COUNT_COLUMNS, 'cost_eur'] as const;

export const AliasFile = z
  .object({
    columns: z.record(z.enum(CANONICAL_COLUMNS), z.array(z.coerce.string()).min(1)),
    service_types: z.record(z.enum(SERVICE_TYPES), z.array(z.coerce.string()).min(1)),
  })
  .strict();
export type AliasFile = z.infer<typeof AliasFile>;

/** Aliases ready for lookup: normalised header name → canonical column; lower-case label → service type. */
export interface Aliases {
  columns: Map<string, CanonicalColumn>;
  serviceTypes: Map<string, ServiceType>;
}

/** Header names compare in lower case, trimmed, quotes and BOM removed, € as eur, runs of space . - / as "_". Pure. */
export function normaliseHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .trim()
    .toLowerCase()
    .replace(/€/g, '_eur_')
    .replace(/[\s._\-/()\[\]]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function normaliseServiceTypeLabel(label: string): string {
  return label.trim().toLowerCase();
}

/** Builds the lookup maps; an alias listed for two different targets is an error. Pure. */
export function buildAliases(file: AliasFile, source = 'aliases'): Aliases {
  const columns = new Map<string, CanonicalColumn>();
  for (const canonical of CANONICAL_COLUMNS) {
    for (const name of [canonical, ...(file.columns[canonical] ?? [])]) {
      const key = normaliseHeaderName(name);
      const prev = columns.get(key);
      if (prev && prev !== canonical) throw new Error(`${source}: header alias "${name}" maps to both ${prev} and ${canonical}`);
      columns.set(key, canonical);
    }
  }
  const serviceTypes = new Map<string, ServiceType>();
  for (const type of SERVICE_TYPES) {
    for (const label of [type, ...(file.service_types[type] ?? [])]) {
      const key = normaliseServiceTypeLabel(label);
      const prev = serviceTypes.get(key);
      if (prev && prev !== type) throw new Error(`${source}: service type alias "${label}" maps to both ${prev} and ${type}`);
      serviceTypes.set(key, type);
    }
  }
  return { columns, serviceTypes };
}

/** Reads and validates the alias file (IO at the edge). */
export function loadAliases(path: string): Aliases {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the service-use alias file ${path}: ${(e as Error).message}`);
  }
  const parsed = AliasFile.safeParse(doc);
  if (!parsed.success) {
    throw new Error(
      `invalid service-use alias file ${path}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return buildAliases(parsed.data, path);
}

export type ExtractKind = 'monthly' | 'events';

export interface HeaderMapping {
  kind: ExtractKind;
  /** One entry per file column, in file order: the canonical name, or null for a column the pipeline ignores. */
  columns: (CanonicalColumn | null)[];
  /** The file's own header names, in file order. */
  names: string[];
}

const REQUIRED: Record<ExtractKind, CanonicalColumn[]> = {
  monthly: ['month', 'municipality_code', 'specialty_code', 'service_type'],
  events: ['event_date', 'municipality_code', 'specialty_code', 'service_type'],
};

/**
 * Maps a file's header cells to canonical columns and decides the extract kind: a `month` column makes an
 * aggregated monthly extract, an `event_date` column (and no month) an event-level one. Pure; problems are
 * InputFileErrors naming the file, line 1 and the column.
 */
export function mapHeader(file: string, names: readonly string[], aliases: Aliases): HeaderMapping {
  const columns = names.map((n) => aliases.columns.get(normaliseHeaderName(n)) ?? null);
  const recognised = columns.filter((c): c is CanonicalColumn => c !== null);
  if (recognised.length === 0) {
    throw new InputFileError(
      file,
      1,
      null,
      // Never the header's text: when the header line is missing, line 1 is a data row (maybe a patient id).
      `not a service-use extract: none of the ${names.length} column(s) of line 1 is a recognised header name ` +
        `(the header line is missing or unknown); expected e.g. ${REQUIRED.monthly.join(', ')} or their aliases (config/service-use-aliases.yaml)`,
    );
  }
  const seen = new Map<CanonicalColumn, string>();
  names.forEach((name, i) => {
    const c = columns[i];
    if (!c) return;
    const prev = seen.get(c);
    if (prev !== undefined) throw new InputFileError(file, 1, name, `column "${name}" and "${prev}" both mean ${c}`);
    seen.set(c, name);
  });
  const hasMonth = seen.has('month');
  const hasEvent = seen.has('event_date');
  if (hasMonth && hasEvent) {
    throw new InputFileError(file, 1, seen.get('event_date') ?? null, 'both a month column and an event date column: cannot tell an aggregated extract from an event-level one');
  }
  const kind: ExtractKind = hasEvent ? 'events' : 'monthly';
  const missing = REQUIRED[kind].filter((c) => !seen.has(c));
  if (missing.length) {
    throw new InputFileError(
      file,
      1,
      missing[0] ?? null,
      `missing column(s) ${missing.join(', ')} for ${kind === 'events' ? 'an event-level' : 'an aggregated monthly'} extract ` +
        `(recognised: ${[...seen.keys()].join(', ')}; ${names.length - seen.size} other column(s))`,
    );
  }
  if (kind === 'monthly' && !MEASURE_COLUMNS.some((m) => seen.has(m))) {
    throw new InputFileError(file, 1, null, `no measure column: expected at least one of ${MEASURE_COLUMNS.join(', ')}`);
  }
  return { kind, columns, names: [...names] };
}

/** Names that look like a measure (euros, counts, visits, periods, days) when no alias recognised them. */
const MEASURE_LIKE = /€|eur|kust|summa|lkm|määrä|maara|käynn|kaynn|jakso|päiv|paiv/;

/**
 * The header names the alias table did not recognise (the pipeline ignores those columns), and the ones among them
 * that look like a measure: probably a euro or count column under a name the aliases lack. Pure.
 */
export function unrecognisedColumns(mapping: HeaderMapping): { names: string[]; measureLike: string[] } {
  const names = mapping.names.filter((_, i) => mapping.columns[i] === null);
  return { names, measureLike: names.filter((n) => MEASURE_LIKE.test(n.toLowerCase())) };
}

/** Splits a header line on the delimiter, honouring double quotes; names trimmed. Pure. */
export function splitHeaderLine(line: string, delimiter: string): string[] {
  return splitCsvLine(line, delimiter).map((c) => c.trim());
}

/** The delimiter of a header line: the most frequent of ; , tab | outside quotes (ties prefer ;). Pure. */
export function detectDelimiter(line: string): ';' | ',' | '\t' | '|' {
  const candidates = [';', ',', '\t', '|'] as const;
  let best: (typeof candidates)[number] = ';';
  let bestCount = -1;
  for (const d of candidates) {
    const n = splitHeaderLine(line, d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/**
 * The files the service-use section names, checked as `validate-config` does (each problem names its key): the alias
 * file parses, the specialty list exists with its header. IO. Without this they failed only at the first import.
 */
export function serviceUseFileProblems(s: ResolvedServiceUse): string[] {
  const problems: string[] = [];
  try {
    loadAliases(s.aliases);
  } catch (e) {
    problems.push(`service_use.aliases: ${(e as Error).message}`);
  }
  try {
    checkHeader(s.specialties, readFirstLine(s.specialties), ['specialty_code', 'name_fi']);
  } catch (e) {
    problems.push(`service_use.specialties: ${(e as Error).message}`);
  }
  return problems;
}
