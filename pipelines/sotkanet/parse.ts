/**
 * Pure parsing and validation of Sotkanet responses (the formats in the domain reference). No IO: the HTTP client
 * and the mirror reader hand text in, these functions say whether it is a complete, well-formed response and
 * return what the loader needs. Bulk rows are typed later in DuckDB (pipelines/sql/staging/stg_sotkanet__*.sql).
 */
import { z } from 'zod';
import { GENDERS } from '../settings/sotkanet.js';
import { splitCsvLine } from '../csv.js';

/** A response that is truncated, malformed or not what the endpoint documents. Names what and where. */
export class SotkanetResponseError extends Error {
  constructor(
    /** e.g. "indicator 127" or "regions". */
    readonly subject: string,
    /** The URL or file the response came from. */
    readonly location: string,
    detail: string,
  ) {
    super(`Sotkanet ${subject} (${location}): ${detail}`);
    this.name = 'SotkanetResponseError';
  }
}

const Title = z
  .object({ fi: z.string(), sv: z.string().nullish(), en: z.string().nullish() })
  .passthrough();

export const SotkanetRegion = z
  .object({
    id: z.number().int(),
    code: z.string(),
    category: z.string().min(1),
    title: Title,
    memberOf: z.array(z.number().int()).nullish(),
    uri: z.string().nullish(),
  })
  .passthrough();
export type SotkanetRegion = z.infer<typeof SotkanetRegion>;

export const SotkanetIndicatorMeta = z
  .object({
    id: z.number().int().positive(),
    title: Title,
    'data-updated': z.string().nullish(),
    range: z.object({ start: z.number().int().nullish(), end: z.number().int().nullish() }).passthrough().nullish(),
    primaryValueType: z.object({ code: z.string() }).passthrough().nullish(),
    decimals: z.number().int().nullish(),
    classifications: z.unknown().optional(),
    organization: z.object({ id: z.number().int().nullish(), title: Title }).passthrough().nullish(),
  })
  .passthrough();
export type SotkanetIndicatorMeta = z.infer<typeof SotkanetIndicatorMeta>;

export const SotkanetIndicatorListItem = z
  .object({ id: z.number().int().positive(), title: Title })
  .passthrough();

/** One row of `/json`. Only the shape is checked here; values are typed (and rejected) in DuckDB. */
export const SotkanetDataRow = z
  .object({
    indicator: z.unknown(),
    region: z.unknown(),
    year: z.unknown(),
    gender: z.unknown(),
    value: z.unknown().optional(),
    absValue: z.unknown().optional(),
  })
  .passthrough();

/** The documented `/csv` header. */
export const CSV_HEADER = ['indicator', 'region', 'year', 'gender', 'primary value', 'absolute value'] as const;

function parseJson(text: string, subject: string, location: string): unknown {
  if (text.trim() === '') throw new SotkanetResponseError(subject, location, 'empty response body');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SotkanetResponseError(subject, location, `truncated or malformed JSON: ${(e as Error).message}`);
  }
}

function zodProblems(error: z.ZodError, max = 5): string {
  const issues = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return issues.join('; ') + (error.issues.length > max ? `; … ${error.issues.length - max} more` : '');
}

/** `/regions`: an array of regions. */
export function parseRegions(text: string, location: string): SotkanetRegion[] {
  const parsed = z.array(SotkanetRegion).min(1).safeParse(parseJson(text, 'regions', location));
  if (!parsed.success) throw new SotkanetResponseError('regions', location, `unexpected shape: ${zodProblems(parsed.error)}`);
  return parsed.data;
}

/** `/indicators/{id}`: one indicator's metadata; its id must be the one asked for. */
export function parseIndicatorMeta(text: string, id: number, location: string): SotkanetIndicatorMeta {
  const subject = `indicator ${id}`;
  const parsed = SotkanetIndicatorMeta.safeParse(parseJson(text, subject, location));
  if (!parsed.success) throw new SotkanetResponseError(subject, location, `unexpected metadata: ${zodProblems(parsed.error)}`);
  if (parsed.data.id !== id) {
    throw new SotkanetResponseError(subject, location, `metadata is for indicator ${parsed.data.id}, not ${id}`);
  }
  return parsed.data;
}

/** `/indicators`: the list of indicators (id and title). */
export function parseIndicatorList(text: string, location: string): { id: number; title_fi: string }[] {
  const parsed = z.array(SotkanetIndicatorListItem).safeParse(parseJson(text, 'indicator list', location));
  if (!parsed.success) throw new SotkanetResponseError('indicator list', location, `unexpected shape: ${zodProblems(parsed.error)}`);
  return parsed.data.map((i) => ({ id: i.id, title_fi: i.title.fi }));
}

/** `/json`: an array of data rows. Returns the number of rows; throws on a truncated or malformed body. */
export function checkDataJson(text: string, id: number, location: string): number {
  const subject = `indicator ${id}`;
  const parsed = z.array(SotkanetDataRow).safeParse(parseJson(text, subject, location));
  if (!parsed.success) throw new SotkanetResponseError(subject, location, `unexpected data rows: ${zodProblems(parsed.error)}`);
  return parsed.data.length;
}

/**
 * `/csv`: checks the documented header and that every line has six fields, so that a body cut off in the middle
 * of a line is an error rather than a silently shorter series. Returns the number of data rows.
 */
export function checkDataCsv(text: string, id: number, location: string): number {
  const subject = `indicator ${id}`;
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new SotkanetResponseError(subject, location, 'empty response body');
  const lines = body.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const header = splitCsvLine(lines[0] ?? '', ';').map((h) => h.trim().toLowerCase());
  if (header.length !== CSV_HEADER.length || header.some((h, i) => h !== CSV_HEADER[i])) {
    throw new SotkanetResponseError(subject, location, `unexpected CSV header "${lines[0]}", expected "${CSV_HEADER.join(';')}"`);
  }
  for (let i = 1; i < lines.length; i++) {
    const n = splitCsvLine(lines[i] ?? '', ';').length;
    if (n !== CSV_HEADER.length) {
      const last = i === lines.length - 1;
      throw new SotkanetResponseError(
        subject,
        location,
        `line ${i + 1} has ${n} fields, expected ${CSV_HEADER.length}${last ? ' (truncated response?)' : ''}`,
      );
    }
  }
  return lines.length - 1;
}

/** Mirror manifest `<dir>/mirror.json`: where the mirror came from and which indicators are synthetic. */
export const MirrorManifest = z
  .object({
    source: z.string().optional(),
    base_url: z.string().optional(),
    created_at: z.string().optional(),
    note: z.string().optional(),
    synthetic_indicators: z.array(z.number().int()).default([]),
  })
  .passthrough();
export type MirrorManifest = z.infer<typeof MirrorManifest>;

export function parseManifest(text: string, location: string): MirrorManifest {
  const parsed = MirrorManifest.safeParse(parseJson(text, 'mirror manifest', location));
  if (!parsed.success) throw new SotkanetResponseError('mirror manifest', location, zodProblems(parsed.error));
  return parsed.data;
}

export const SOTKANET_GENDERS = GENDERS;
