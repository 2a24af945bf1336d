/**
 * Pure parsers (no IO) for Statistics Finland's PxWeb population tables: JSON-stat2 (dense or sparse `value`) and
 * PxWeb CSV (wide: stub columns then one column per year heading, or long/tidy: a year column and a value column).
 * Both end in the same long rows: municipality × year × canonical 5-year age group (× variant), see docs/population.md.
 *
 * Dimension roles are recognised by code or label (Finnish, Swedish, English). Non-municipal areas (whole country,
 * regions, hospital districts, wellbeing counties) are skipped and counted. Single-year ages and finer groups are
 * summed into the canonical groups '0-4' … '80-84', '85+'. Totals are dropped when their parts are present; with a
 * sex dimension the total category is taken, else male + female are summed.
 *
 * Cell problems (a non-numeric or negative value, an incomplete age group) come back as structured rejects;
 * structural problems (bad envelope, a missing region/age/year dimension, an age category that straddles the
 * canonical groups) throw a PxWebFormatError naming the file.
 */
import { z } from 'zod';
import { splitCsv } from '../csv.js';
import { AGE_GROUPS } from '../settings/vocabulary.js';

/** The canonical 5-year age groups, in order: '0-4', '5-9', …, '80-84', '85+' (pipelines/settings/vocabulary.ts). */
export { AGE_GROUPS };

/** Oldest age a category can reach (open groups such as "100 -" cover up to this). */
const MAX_AGE = 130;

export interface PopulationRow {
  /** A 3-digit municipality code when the file gives one ("KU244", "244", "KU244 Kempele"), else the name as found. */
  municipality: string;
  year: number;
  age_group: string;
  population: number;
  /** The file's variant (Laskelma / Vaihtoehto) when it has that dimension, normalised; else null. */
  variant: string | null;
  /** Line number (CSV, 1-based) or value index (JSON-stat2, 0-based) of the first cell summed into this row. */
  position: number;
}

export interface PopulationReject {
  position: number | null;
  field: string;
  value: string | null;
  reason: string;
}

export interface PopulationParseResult {
  rows: PopulationRow[];
  rejects: PopulationReject[];
  /** Non-municipal areas (SSS, MK.., SHP.., HVA..) skipped, by the code or label found. */
  skippedAreas: string[];
  /** Cells read (values in the file, before aggregation). */
  cells: number;
  /** Cells that were missing ("..", ".", "-", null). */
  missing: number;
}

/** A file whose structure cannot be read (envelope, dimensions, age categories). Names the file. */
export class PxWebFormatError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'PxWebFormatError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Roles and categories

export type Role = 'region' | 'age' | 'year' | 'sex' | 'contents' | 'variant';

const ROLE_PATTERNS: [Role, RegExp][] = [
  ['region', /^(alue|område|omrade|region|area|kunta|kommun|municipality|alue_?koodi)$/],
  ['age', /^(ikä|ika|ålder|alder|age|ikäluokka|ikaluokka|ikäryhmä|åldersgrupp|age group)$/],
  ['year', /^(vuosi|år|ar|year|tid|time|vuosi_?2?)$/],
  ['sex', /^(sukupuoli|kön|kon|sex|gender)$/],
  ['contents', /^(tiedot|uppgifter|information|contents|tieto|tiedot_?\d*|contentscode)$/],
  ['variant', /^(laskelma|vaihtoehto|variant|kalkyl|alternativ|skenaario|scenario|projection variant)$/],
];

/** The role of a dimension/column named `name` (code or label), or undefined. Pure. */
export function dimensionRole(name: string): Role | undefined {
  const n = name.trim().toLowerCase();
  for (const [role, re] of ROLE_PATTERNS) if (re.test(n)) return role;
  return undefined;
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

export type AreaClass = { kind: 'municipality'; municipality: string } | { kind: 'other' };

const NON_MUNICIPAL = /^(sss|mk\d+|shp\d+|hva\d+|sk\d+|erva\d+|yta\d+|avi\d*|ely\d*)(\s|$)/i;
const WHOLE_COUNTRY = /^(koko maa|hela landet|whole country|manner-suomi|fastlandsfinland|mainland finland|ahvenanmaa|åland|aland)$/i;

/** Classifies a region code or label: "KU244", "244", "KU244 Kempele" → "244"; "Kempele" → "Kempele"; SSS/MK.. → other. Pure. */
export function classifyArea(code: string | undefined, label: string | undefined): AreaClass {
  for (const raw of [code, label]) {
    if (raw === undefined) continue;
    const s = raw.trim();
    const ku = /^KU\s?(\d{1,3})(\s|$)/i.exec(s);
    if (ku) return { kind: 'municipality', municipality: ku[1]!.padStart(3, '0') };
    if (/^\d{1,3}$/.test(s)) return { kind: 'municipality', municipality: s.padStart(3, '0') };
    if (NON_MUNICIPAL.test(s) || WHOLE_COUNTRY.test(s)) return { kind: 'other' };
  }
  const name = (label ?? code ?? '').trim();
  // "Kempele (244)" or "244 Kempele"
  const trailing = /\((\d{3})\)$/.exec(name) ?? /^(\d{3})\s/.exec(name);
  if (trailing) return { kind: 'municipality', municipality: trailing[1]! };
  return { kind: 'municipality', municipality: name };
}

/** An age category: ages it covers (`to` null = open-ended) or the total. */
export type AgeClass = { kind: 'total' } | { kind: 'ages'; from: number; to: number | null };

const AGE_TOTAL = /^(sss|yhteensä|yhteensa|total|totalt|ikäluokat yhteensä|kaikki ikäluokat|alla åldrar|all ages|ikä yhteensä|åldrar totalt)$/i;

/** Reads one age code or label ("0", "000", "100 -", "0 - 4", "85+", "75–79", "SSS"); undefined when unreadable. Pure. */
export function classifyAge(text: string): AgeClass | undefined {
  const s = text.trim().replace(/[–—]/g, '-').replace(/\s*(vuotta|år|years?|v\.?)$/i, '');
  if (AGE_TOTAL.test(s)) return { kind: 'total' };
  let m = /^(\d{1,3})$/.exec(s);
  if (m) return { kind: 'ages', from: Number(m[1]), to: Number(m[1]) };
  m = /^(\d{1,3})\s*-\s*(\d{1,3})$/.exec(s);
  if (m) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    return to >= from ? { kind: 'ages', from, to } : undefined;
  }
  m = /^(\d{1,3})\s*(-|\+|or over|and over|och äldre|ja yli|-\s*\+)$/i.exec(s);
  if (m) return { kind: 'ages', from: Number(m[1]), to: null };
  return undefined;
}

/** The canonical group of an age category, or a reason why it cannot have one (straddles groups). Pure. */
export function canonicalAgeGroup(age: { from: number; to: number | null }): { group: string } | { error: string } {
  if (age.from >= 85) return { group: '85+' };
  const to = age.to;
  if (to === null) return { error: `open age group from ${age.from} straddles the canonical 5-year groups (…, '80-84', '85+')` };
  if (Math.floor(age.from / 5) !== Math.floor(to / 5)) {
    return { error: `age group ${age.from}-${to} straddles the canonical 5-year groups` };
  }
  return { group: AGE_GROUPS[Math.floor(age.from / 5)]! };
}

/** Canonical group → [age_from, age_to] (age_to null for 85+). Pure. */
export function ageBounds(group: string): [number, number | null] {
  if (group === '85+') return [85, null];
  const [a, b] = group.split('-').map(Number);
  return [a!, b!];
}

export type SexClass = 'total' | 'male' | 'female';

/** Reads a sex code or label; undefined when unknown. Pure. */
export function classifySex(text: string): SexClass | undefined {
  const s = norm(text);
  if (/^(sss|yhteensä|yhteensa|sukupuolet yhteensä|sukupuolet yhteensa|total|totalt|kön totalt|both sexes|molemmat sukupuolet|kaikki)$/.test(s)) return 'total';
  if (/^(1|m|miehet|mies|män|man|males?|men)$/.test(s)) return 'male';
  if (/^(2|n|f|naiset|nainen|kvinnor|kvinna|females?|women)$/.test(s)) return 'female';
  return undefined;
}

const POPULATION_CONTENTS = /(väestö|vaesto|väkiluku|vakiluku|population|folkmängd|befolkning|lukumäärä|vm01|vaesto|ennuste|prognos|projection)/i;

/** Normalises a variant code or label: lower case, non-alphanumerics → '_' ("Muuttotase 0" → "muuttotase_0"). Pure. */
export function normaliseVariant(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9äöå]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A cell value: a number, missing, or a reason it is bad. Accepts decimal comma and spaces as thousands separators. Pure. */
export function parseCell(raw: unknown): { value: number } | { missing: true } | { error: string } {
  if (raw === null || raw === undefined) return { missing: true };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { error: 'not a finite number' };
    return raw < 0 ? { error: 'negative population' } : { value: raw };
  }
  if (typeof raw !== 'string') return { error: 'not a number' };
  const s = raw.trim();
  if (s === '' || s === '..' || s === '.' || s === '-' || s === '...' || s === '…') return { missing: true };
  const cleaned = s.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return { error: 'not a number' };
  const v = Number(cleaned);
  return v < 0 ? { error: 'negative population' } : { value: v };
}

// ---------------------------------------------------------------------------------------------------------------
// The common aggregation: per-dimension category classification, then cells summed into canonical groups.

interface Category {
  code: string;
  label: string;
}

interface Dimension {
  name: string;
  label: string;
  role: Role | undefined;
  categories: Category[];
}

/** What to do with one category of one dimension. */
type Use =
  | { skip: true; area?: string }
  | { skip: false; municipality?: string; group?: string; year?: number; variant?: string | null };

interface Plan {
  /** Per dimension, per category index. */
  uses: Use[][];
  /** Categories summed into one output row per canonical group (age categories × sex categories used). */
  partsPerGroup: Map<string, number>;
  skippedAreas: string[];
  roles: Map<Role, number>;
}

function describeCategory(c: Category): string {
  return c.code === c.label ? c.code : `${c.code} (${c.label})`;
}

/** Decides, from the dimensions alone, which categories are read and where each goes. Throws structural errors. */
function plan(file: string, dims: Dimension[]): Plan {
  const roles = new Map<Role, number>();
  dims.forEach((d, i) => {
    const role = d.role;
    if (!role) {
      if (d.categories.length > 1) {
        throw new PxWebFormatError(file, `dimension "${d.name}" (${d.label}) is not one this importer knows and has ${d.categories.length} categories`);
      }
      return;
    }
    if (roles.has(role)) throw new PxWebFormatError(file, `two dimensions have the role ${role}: "${dims[roles.get(role)!]!.name}" and "${d.name}"`);
    roles.set(role, i);
  });
  for (const need of ['region', 'age', 'year'] as const) {
    if (!roles.has(need)) {
      throw new PxWebFormatError(file, `no ${need} dimension (found: ${dims.map((d) => d.name).join(', ') || 'none'})`);
    }
  }
  const uses: Use[][] = dims.map((d) => d.categories.map(() => ({ skip: false }) as Use));
  const skippedAreas: string[] = [];

  // Region
  const regionDim = dims[roles.get('region')!]!;
  regionDim.categories.forEach((c, j) => {
    const a = classifyArea(c.code, c.label);
    if (a.kind === 'other') {
      uses[roles.get('region')!]![j] = { skip: true, area: c.code };
      skippedAreas.push(c.code);
    } else uses[roles.get('region')!]![j] = { skip: false, municipality: a.municipality };
  });

  // Year
  const yi = roles.get('year')!;
  dims[yi]!.categories.forEach((c, j) => {
    const m = /^(\d{4})/.exec(c.code.trim()) ?? /^(\d{4})/.exec(c.label.trim());
    if (!m) throw new PxWebFormatError(file, `year category ${describeCategory(c)} does not start with a 4-digit year`);
    uses[yi]![j] = { skip: false, year: Number(m[1]) };
  });

  // Age: classify, drop the total, check the canonical mapping and that categories do not overlap.
  const ai = roles.get('age')!;
  const ageCats = dims[ai]!.categories;
  const covered = new Map<number, string>();
  const coverage = new Map<string, Set<number>>();
  let parts = 0;
  const groupParts = new Map<string, number>();
  ageCats.forEach((c, j) => {
    const cls = classifyAge(c.code) ?? classifyAge(c.label);
    if (!cls) throw new PxWebFormatError(file, `age category ${describeCategory(c)} is not an age, an age group or a total`);
    if (cls.kind === 'total') {
      uses[ai]![j] = { skip: true };
      return;
    }
    const g = canonicalAgeGroup(cls);
    if ('error' in g) throw new PxWebFormatError(file, `age category ${describeCategory(c)}: ${g.error}`);
    const last = cls.to ?? MAX_AGE;
    for (let a = cls.from; a <= last; a++) {
      const prev = covered.get(a);
      if (prev !== undefined) throw new PxWebFormatError(file, `age categories ${prev} and ${describeCategory(c)} overlap (age ${a})`);
      covered.set(a, describeCategory(c));
    }
    const set = coverage.get(g.group) ?? new Set<number>();
    for (let a = cls.from; a <= last; a++) set.add(a);
    coverage.set(g.group, set);
    groupParts.set(g.group, (groupParts.get(g.group) ?? 0) + 1);
    parts++;
    uses[ai]![j] = { skip: false, group: g.group };
  });
  if (parts === 0) throw new PxWebFormatError(file, 'the age dimension has only a total: no age groups to read');
  for (const [group, set] of coverage) {
    const [from, to] = ageBounds(group);
    for (let a = from; a <= (to ?? MAX_AGE); a++) {
      if (!set.has(a)) {
        throw new PxWebFormatError(file, `age group ${group} is only partly covered by the age categories (age ${a} is missing${to === null ? '; the oldest category must be open, e.g. "100 -"' : ''})`);
      }
    }
  }

  // Sex: the total when present, else male + female.
  let sexParts = 1;
  const si = roles.get('sex');
  if (si !== undefined) {
    const cats = dims[si]!.categories;
    const cls = cats.map((c) => classifySex(c.code) ?? classifySex(c.label));
    const hasTotal = cls.includes('total');
    cats.forEach((c, j) => {
      const k = cls[j];
      if (!k) throw new PxWebFormatError(file, `sex category ${describeCategory(c)} is not total, male or female`);
      uses[si]![j] = { skip: hasTotal ? k !== 'total' : false };
    });
    if (!hasTotal) {
      if (!(cls.includes('male') && cls.includes('female'))) {
        throw new PxWebFormatError(file, 'the sex dimension has neither a total nor both males and females');
      }
      sexParts = cls.filter((k) => k === 'male' || k === 'female').length;
    }
  }

  // Contents: the one population measure.
  const ci = roles.get('contents');
  if (ci !== undefined) {
    const cats = dims[ci]!.categories;
    if (cats.length > 1) {
      const matches = cats.map((c) => POPULATION_CONTENTS.test(c.code) || POPULATION_CONTENTS.test(c.label));
      if (matches.filter(Boolean).length !== 1) {
        throw new PxWebFormatError(file, `the contents dimension has ${cats.length} measures (${cats.map(describeCategory).join(', ')}); select the population one in the query`);
      }
      cats.forEach((_, j) => (uses[ci]![j] = { skip: !matches[j] }));
    }
  }

  // Variant
  const vi = roles.get('variant');
  if (vi !== undefined) {
    dims[vi]!.categories.forEach((c, j) => {
      uses[vi]![j] = { skip: false, variant: normaliseVariant(c.code === '' ? c.label : c.code) };
    });
  }

  const partsPerGroup = new Map([...groupParts].map(([g, n]) => [g, n * sexParts]));
  return { uses, partsPerGroup, skippedAreas, roles };
}

interface Acc {
  sum: number;
  parts: number;
  bad: boolean;
  missing: number;
  position: number;
  municipality: string;
  year: number;
  group: string;
  variant: string | null;
}

/** Sums cells into canonical rows; `cell` is called once per cell with its category indices and raw value. */
class Aggregator {
  private readonly acc = new Map<string, Acc>();
  readonly rejects: PopulationReject[] = [];
  cells = 0;
  missing = 0;

  constructor(private readonly p: Plan) {}

  /** Returns false when the cell is not read (skipped category). */
  add(indices: readonly number[], raw: unknown, position: number, valueField: string): void {
    let municipality = '';
    let year = 0;
    let group = '';
    let variant: string | null = null;
    for (let d = 0; d < indices.length; d++) {
      const use = this.p.uses[d]![indices[d]!]!;
      if (use.skip) return;
      if (use.municipality !== undefined) municipality = use.municipality;
      if (use.year !== undefined) year = use.year;
      if (use.group !== undefined) group = use.group;
      if (use.variant !== undefined) variant = use.variant;
    }
    this.cells++;
    const key = `${municipality}\u0001${year}\u0001${group}\u0001${variant ?? ''}`;
    let a = this.acc.get(key);
    if (!a) {
      a = { sum: 0, parts: 0, bad: false, missing: 0, position, municipality, year, group, variant };
      this.acc.set(key, a);
    }
    a.position = Math.min(a.position, position);
    const cell = parseCell(raw);
    if ('missing' in cell) {
      this.missing++;
      a.missing++;
      return;
    }
    if ('error' in cell) {
      a.bad = true;
      this.rejects.push({ position, field: valueField, value: raw === null || raw === undefined ? null : String(raw), reason: cell.error });
      return;
    }
    a.sum += cell.value;
    a.parts++;
  }

  finish(): PopulationRow[] {
    const rows: PopulationRow[] = [];
    for (const a of this.acc.values()) {
      if (a.bad) continue;
      if (a.parts === 0) continue; // every part missing: no value, not an error
      const expected = this.p.partsPerGroup.get(a.group) ?? 1;
      if (a.missing > 0 || a.parts < expected) {
        this.rejects.push({
          position: a.position,
          field: 'age',
          value: a.group,
          reason: `age group ${a.group} of ${a.municipality} ${a.year} is incomplete: ${expected - a.parts} of ${expected} part(s) missing`,
        });
        continue;
      }
      rows.push({ municipality: a.municipality, year: a.year, age_group: a.group, population: a.sum, variant: a.variant, position: a.position });
    }
    rows.sort((x, y) => x.position - y.position);
    return rows;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON-stat2

const JsonStatCategory = z
  .object({
    index: z.union([z.record(z.string(), z.number().int().min(0)), z.array(z.string())]).optional(),
    label: z.record(z.string(), z.string()).optional(),
  })
  .passthrough()
  .refine((c) => c.index !== undefined || c.label !== undefined, { message: 'a category needs index or label' });

export const JsonStat2 = z
  .object({
    class: z.literal('dataset'),
    version: z.string().optional(),
    id: z.array(z.string()).min(1),
    size: z.array(z.number().int().min(0)),
    dimension: z.record(z.string(), z.object({ label: z.string().optional(), category: JsonStatCategory }).passthrough()),
    value: z.union([z.array(z.union([z.number(), z.string(), z.null()])), z.record(z.string(), z.union([z.number(), z.string(), z.null()]))]),
    label: z.string().optional(),
  })
  .passthrough()
  .superRefine((d, ctx) => {
    if (d.size.length !== d.id.length) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['size'], message: `size has ${d.size.length} entries, id has ${d.id.length}` });
    for (const id of d.id) if (!d.dimension[id]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['dimension', id], message: `dimension "${id}" listed in id is missing` });
  });

function jsonStatCategories(file: string, name: string, cat: z.infer<typeof JsonStatCategory>, size: number): Category[] {
  let codes: string[];
  if (Array.isArray(cat.index)) codes = cat.index;
  else if (cat.index) {
    codes = new Array<string>(size);
    for (const [code, pos] of Object.entries(cat.index)) {
      if (pos >= size) throw new PxWebFormatError(file, `dimension "${name}": category ${code} has index ${pos}, size is ${size}`);
      codes[pos] = code;
    }
  } else codes = Object.keys(cat.label ?? {});
  if (codes.length !== size || codes.some((c) => c === undefined)) {
    throw new PxWebFormatError(file, `dimension "${name}" has ${codes.filter((c) => c !== undefined).length} categories, size says ${size}`);
  }
  return codes.map((code) => ({ code, label: cat.label?.[code] ?? code }));
}

/** Parses a JSON-stat2 dataset (dense `value` array or sparse `{"pos": v}` object). */
export function parseJsonStat2(text: string, file: string): PopulationParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PxWebFormatError(file, `not valid JSON: ${(e as Error).message}`);
  }
  const parsed = JsonStat2.safeParse(doc);
  if (!parsed.success) {
    throw new PxWebFormatError(
      file,
      `not a JSON-stat2 dataset: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  const ds = parsed.data;
  const dims: Dimension[] = ds.id.map((id, i) => {
    const d = ds.dimension[id]!;
    const label = d.label ?? id;
    return { name: id, label, role: dimensionRole(id) ?? dimensionRole(label), categories: jsonStatCategories(file, id, d.category, ds.size[i]!) };
  });
  const total = ds.size.reduce((a, b) => a * b, 1);
  if (Array.isArray(ds.value) && ds.value.length !== total) {
    throw new PxWebFormatError(file, `value has ${ds.value.length} entries, the dimension sizes give ${total}`);
  }
  const p = plan(file, dims);
  const agg = new Aggregator(p);
  const strides = ds.size.map((_, i) => ds.size.slice(i + 1).reduce((a, b) => a * b, 1));
  const indicesOf = (pos: number): number[] => strides.map((s, i) => Math.floor(pos / s) % ds.size[i]!);
  if (Array.isArray(ds.value)) {
    for (let pos = 0; pos < total; pos++) agg.add(indicesOf(pos), ds.value[pos], pos, 'value');
  } else {
    // Sparse: absent positions are missing values.
    const present = new Map<number, unknown>();
    for (const [k, v] of Object.entries(ds.value)) {
      const pos = Number(k);
      if (!Number.isInteger(pos) || pos < 0 || pos >= total) throw new PxWebFormatError(file, `value key "${k}" is not a position below ${total}`);
      present.set(pos, v);
    }
    for (let pos = 0; pos < total; pos++) agg.add(indicesOf(pos), present.has(pos) ? present.get(pos) : null, pos, 'value');
  }
  const rows = agg.finish();
  return { rows, rejects: agg.rejects, skippedAreas: p.skippedAreas, cells: agg.cells, missing: agg.missing };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

/** The delimiter of a header line: ';', ',' or tab, whichever occurs most outside quotes. Pure. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

const VALUE_COLUMN = /^(value|values|arvo|värde|varde|väestö|vaesto|väkiluku|population|folkmängd|lukumäärä|count|n)$/i;

/** Parses a PxWeb CSV (wide with year headings, or long with a year and a value column). */
export function parsePxWebCsv(text: string, file: string): PopulationParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // The header: the first line with at least two fields (PxWeb may put a quoted title line and a blank line first).
  let headerIdx = -1;
  let delimiter = ',';
  for (let i = 0; i < lines.length; i++) {
    const d = detectDelimiter(lines[i]!);
    const n = splitCsv(lines[i]!, d)[0]?.fields.length ?? 0;
    if (n >= 2) {
      headerIdx = i;
      delimiter = d;
      break;
    }
  }
  if (headerIdx < 0) throw new PxWebFormatError(file, 'no header line with at least two columns');
  const records = splitCsv(lines.slice(headerIdx).join('\n'), delimiter).map((r) => ({ line: r.line + headerIdx, fields: r.fields }));
  const header = records[0]!.fields.map((h) => h.trim());
  const body = records.slice(1).filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));

  const roleCols = new Map<Role, number>();
  const yearCols: { col: number; year: number; rest: string }[] = [];
  header.forEach((h, i) => {
    const role = dimensionRole(h);
    if (role && !roleCols.has(role)) {
      roleCols.set(role, i);
      return;
    }
    const m = /^(\d{4})(\b|\s|$)(.*)$/.exec(h);
    if (m) yearCols.push({ col: i, year: Number(m[1]), rest: (m[3] ?? '').trim() });
  });
  for (const need of ['region', 'age'] as const) {
    if (!roleCols.has(need)) throw new PxWebFormatError(file, `no ${need} column in the header (${header.join(', ')})`);
  }

  // Columns → a cell stream (dimension values per cell), then the same planning as JSON-stat2.
  type Cell = { values: Map<Role, string>; raw: string; line: number; field: string };
  const cells: Cell[] = [];
  const roleValue = (fields: string[], role: Role): string | undefined => {
    const i = roleCols.get(role);
    return i === undefined ? undefined : (fields[i] ?? '').trim();
  };
  const stubRoles = (['region', 'age', 'sex', 'contents', 'variant'] as const).filter((r) => roleCols.has(r));

  if (roleCols.has('year')) {
    // Long/tidy: a year column and one value column.
    const used = new Set(roleCols.values());
    const candidates = header.map((h, i) => ({ h, i })).filter(({ i }) => !used.has(i));
    const valueCol = candidates.find(({ h }) => VALUE_COLUMN.test(h) || POPULATION_CONTENTS.test(h)) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!valueCol) throw new PxWebFormatError(file, `long CSV with a year column but no value column (header: ${header.join(', ')})`);
    for (const r of body) {
      const values = new Map<Role, string>();
      for (const role of [...stubRoles, 'year'] as Role[]) values.set(role, roleValue(r.fields, role) ?? '');
      cells.push({ values, raw: r.fields[valueCol.i] ?? '', line: r.line, field: valueCol.h });
    }
  } else {
    if (yearCols.length === 0) throw new PxWebFormatError(file, `no year dimension: neither a year column nor year headings such as "2021 Väestö 31.12." (header: ${header.join(', ')})`);
    // Several columns per year: the heading rest is a sex (total/male/female) or one population measure among others.
    const perYear = new Map<number, number>();
    for (const y of yearCols) perYear.set(y.year, (perYear.get(y.year) ?? 0) + 1);
    const multi = [...perYear.values()].some((n) => n > 1);
    let headingRole: Role | undefined;
    if (multi) {
      if (roleCols.has('sex')) headingRole = 'contents';
      else if (yearCols.every((y) => y.rest.split(/\s+/).some((w) => classifySex(w) !== undefined) || classifySex(y.rest) !== undefined)) headingRole = 'sex';
      else headingRole = 'contents';
    }
    const sexOf = (rest: string): string => {
      if (classifySex(rest)) return rest;
      for (let n = 3; n >= 1; n--) {
        const words = rest.split(/\s+/);
        for (let i = 0; i + n <= words.length; i++) {
          const w = words.slice(i, i + n).join(' ');
          if (classifySex(w)) return w;
        }
      }
      return rest;
    };
    for (const r of body) {
      for (const y of yearCols) {
        const values = new Map<Role, string>();
        for (const role of stubRoles) values.set(role, roleValue(r.fields, role) ?? '');
        values.set('year', String(y.year));
        if (headingRole === 'sex') values.set('sex', sexOf(y.rest));
        else if (headingRole === 'contents') values.set('contents', y.rest);
        cells.push({ values, raw: r.fields[y.col] ?? '', line: r.line, field: header[y.col]! });
      }
    }
  }

  // Dimensions from the distinct values, in first-seen order.
  const dimRoles = [...new Set(cells.flatMap((c) => [...c.values.keys()]))];
  const catIndex = new Map<Role, Map<string, number>>(dimRoles.map((r) => [r, new Map()]));
  for (const c of cells) {
    for (const [role, v] of c.values) {
      const m = catIndex.get(role)!;
      if (!m.has(v)) m.set(v, m.size);
    }
  }
  const dims: Dimension[] = dimRoles.map((role) => ({
    name: role === 'year' ? 'year' : header[roleCols.get(role) ?? -1] ?? role,
    label: role,
    role,
    categories: [...catIndex.get(role)!.keys()].map((v) => ({ code: v, label: v })),
  }));
  // A row with an empty region or age cell is a cell problem, not a structural one.
  const rejects: PopulationReject[] = [];
  const badLines = new Set<number>();
  for (const c of cells) {
    for (const role of ['region', 'age'] as const) {
      if ((c.values.get(role) ?? '') === '' && !badLines.has(c.line)) {
        badLines.add(c.line);
        rejects.push({ position: c.line, field: header[roleCols.get(role)!]!, value: '', reason: `empty ${role}` });
      }
    }
  }
  const ageDim = dims.find((d) => d.role === 'age')!;
  ageDim.categories = ageDim.categories.filter((c) => c.code !== '');
  const regionDim = dims.find((d) => d.role === 'region')!;
  regionDim.categories = regionDim.categories.filter((c) => c.code !== '');
  for (const d of [ageDim, regionDim]) {
    const m = new Map<string, number>();
    d.categories.forEach((c, i) => m.set(c.code, i));
    catIndex.set(d.role!, m);
  }

  const p = plan(file, dims);
  const agg = new Aggregator(p);
  for (const c of cells) {
    if (badLines.has(c.line)) continue;
    const indices = dimRoles.map((role) => catIndex.get(role)!.get(c.values.get(role) ?? '')!);
    agg.add(indices, c.raw, c.line, c.field);
  }
  const rows = agg.finish();
  return { rows, rejects: [...rejects, ...agg.rejects], skippedAreas: p.skippedAreas, cells: agg.cells, missing: agg.missing };
}

/** Format by name: 'json-stat2' or 'csv'. */
export function parsePopulationText(text: string, format: 'json-stat2' | 'csv', file: string): PopulationParseResult {
  return format === 'csv' ? parsePxWebCsv(text, file) : parseJsonStat2(text, file);
}
