#!/usr/bin/env -S npx tsx
/**
 * Deterministic demo and benchmark extracts of hospital-district service use (docs/service-use.md).
 *
 *   npx tsx pipelines/demo/service-use-extracts.ts demo [dir]          the committed demo drop folder
 *   npx tsx pipelines/demo/service-use-extracts.ts events <file> <rows> [seed]   an event-level CSV (streamed)
 *
 * Volumes follow the real population of the Pohjois-Pohjanmaa and Kainuu municipalities (Sotkanet, embedded), with
 * a plausible specialty mix, seasonality (summer and Christmas dips, the spring 2020 dip) and a slow trend. The demo
 * has two sources, as the two districts send their own files: Pohjois-Pohjanmaa (gzip CSV, `;`, decimal comma,
 * UTF-8 with BOM; 2023 comma-separated with English headers; 2024 and 2025 with an `Ikäryhmä` column, each row split
 * over the 5-year age groups) and Kainuu (2019 in Windows-1252 with two realistic defects, a mistyped municipality
 * code and a negative correction row; 2025 as .xlsx; no age anywhere).
 */
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { fromRoot } from '../paths.js';
import { splitHeaderLine } from '../service-use/aliases.js';
import { SERVICE_TYPES } from '../settings/vocabulary.js';
import { seededRandom } from '../seeded-random.js';

/** The shared seeded generator (pipelines/seeded-random.ts). */
export const rng = seededRandom;

/** Poisson sample (Knuth below 30, normal approximation above). */
function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= random();
    } while (p > l);
    return k - 1;
  }
  const u = Math.max(random(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
}

interface Specialty {
  code: string;
  name: string;
  /** Per 1 000 residents per year: outpatient visits, inpatient care periods, day surgery, other contacts. */
  rates: [number, number, number, number];
  /** Mean length of stay (bed days per care period). */
  stay: number;
  /** Euros per visit, per care period, per day surgery, per other contact. */
  unitCost: [number, number, number, number];
  /** Visits per patient in a month (outpatient). */
  visitsPerPatient: number;
}

export const DEMO_SPECIALTIES: Specialty[] = [
  { code: '10', name: 'Sisätaudit', rates: [260, 45, 2, 20], stay: 4.5, unitCost: [250, 4100, 1500, 90], visitsPerPatient: 1.3 },
  { code: '20', name: 'Kirurgia', rates: [200, 35, 25, 10], stay: 4, unitCost: [260, 6200, 2200, 90], visitsPerPatient: 1.2 },
  { code: '30', name: 'Naistentaudit ja synnytykset', rates: [90, 22, 8, 5], stay: 3, unitCost: [230, 3500, 1800, 80], visitsPerPatient: 1.3 },
  { code: '40', name: 'Lastentaudit', rates: [70, 10, 0, 8], stay: 3, unitCost: [280, 3800, 0, 90], visitsPerPatient: 1.4 },
  { code: '50', name: 'Silmätaudit', rates: [110, 1, 15, 3], stay: 2, unitCost: [190, 3000, 1300, 70], visitsPerPatient: 1.2 },
  { code: '55', name: 'Korva-, nenä- ja kurkkutaudit', rates: [60, 4, 6, 3], stay: 2, unitCost: [200, 3200, 1600, 70], visitsPerPatient: 1.2 },
  { code: '60', name: 'Hammas-, suu- ja leukasairaudet', rates: [15, 1, 2, 0], stay: 3, unitCost: [210, 4000, 1700, 0], visitsPerPatient: 1.3 },
  { code: '65', name: 'Iho- ja sukupuolitaudit', rates: [25, 0.5, 1, 2], stay: 4, unitCost: [180, 3000, 900, 60], visitsPerPatient: 1.3 },
  { code: '70', name: 'Psykiatria', rates: [250, 6, 0, 40], stay: 21, unitCost: [180, 9500, 0, 80], visitsPerPatient: 2.2 },
  { code: '74', name: 'Nuorisopsykiatria', rates: [40, 1, 0, 6], stay: 25, unitCost: [200, 12000, 0, 80], visitsPerPatient: 2.5 },
  { code: '75', name: 'Lastenpsykiatria', rates: [25, 0.5, 0, 4], stay: 20, unitCost: [220, 11000, 0, 80], visitsPerPatient: 2.5 },
  { code: '77', name: 'Neurologia', rates: [45, 5, 0, 4], stay: 5, unitCost: [240, 4500, 0, 80], visitsPerPatient: 1.2 },
  { code: '80', name: 'Keuhkosairaudet', rates: [35, 6, 0, 3], stay: 5, unitCost: [230, 4200, 0, 70], visitsPerPatient: 1.2 },
  { code: '85', name: 'Syöpätaudit', rates: [60, 3, 0, 10], stay: 5, unitCost: [420, 5200, 0, 90], visitsPerPatient: 1.8 },
];

/**
 * Finnish population by 5-year age group (0-4 ... 80-84, 85+), thousands, about 2023 (Statistics Finland's
 * structure, rounded): the same for every municipality in the demo.
 */
export const DEMO_AGE_STRUCTURE = [235, 290, 310, 305, 320, 355, 365, 360, 350, 320, 340, 345, 355, 350, 345, 270, 175, 155];

/**
 * Relative use per resident of each age group (0-4 ... 80-84, 85+) per demo specialty: paediatrics only under 15,
 * obstetrics and gynaecology mostly 15-49, psychiatry heavy at 15-64, internal medicine, ophthalmology, pulmonology
 * and oncology rising steeply with age. Times DEMO_AGE_STRUCTURE it is the share of a specialty's use by age group.
 */
export const DEMO_AGE_PROFILES: Record<string, number[]> = {
  '10': [0.05, 0.05, 0.05, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1, 1.3, 1.7, 2.2, 2.8, 3.4, 3.8, 3.9],
  '20': [0.3, 0.3, 0.4, 0.6, 0.6, 0.6, 0.7, 0.7, 0.8, 0.9, 1, 1.2, 1.4, 1.7, 2, 2.2, 2.2, 2],
  '30': [0, 0, 0.05, 0.8, 2, 3, 3, 2.2, 1.2, 0.8, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05],
  '40': [4, 1.5, 1.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  '50': [0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 0.9, 1.3, 2, 3, 4, 4.5, 4],
  '55': [1.6, 1.2, 0.8, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.2, 1],
  '60': [0.2, 0.5, 0.8, 1.2, 1.2, 1, 0.9, 0.9, 0.9, 0.9, 1, 1, 1, 1, 1, 0.9, 0.8, 0.6],
  '65': [0.8, 0.6, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.4, 1.3, 1.1],
  '70': [0, 0, 0, 1.2, 2.2, 2, 1.7, 1.5, 1.3, 1.1, 1, 0.9, 0.7, 0.3, 0.2, 0.15, 0.15, 0.1],
  '74': [0, 0, 0.4, 4, 0.6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  '75': [0.5, 2, 2.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  '77': [0.3, 0.4, 0.5, 0.6, 0.6, 0.6, 0.7, 0.7, 0.8, 0.9, 1, 1.1, 1.3, 1.5, 1.8, 2, 2, 1.7],
  '80': [0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.5, 0.6, 0.8, 1.1, 1.6, 2.2, 2.8, 3.1, 3, 2.5],
  '85': [0.05, 0.05, 0.05, 0.1, 0.1, 0.2, 0.3, 0.4, 0.6, 0.9, 1.3, 1.9, 2.7, 3.5, 4, 4, 3.5, 2.6],
};

/** The age group labels as the demo's Pohjois-Pohjanmaa extracts write them (85 and over as `85-`). */
const DEMO_AGE_LABELS = [...Array.from({ length: 17 }, (_, i) => `${5 * i}-${5 * i + 4}`), '85-'];

const SERVICE_TYPES_FI = ['avohoitokäynti', 'hoitojakso', 'päiväkirurgia', 'muu'] as const;

/** Month multipliers: summer holidays, Christmas; plus the spring 2020 dip. */
function season(year: number, month: number): number {
  const base = [1.05, 1.08, 1.08, 1.02, 1.02, 0.88, 0.62, 0.95, 1.08, 1.1, 1.07, 0.85][month - 1] as number;
  const covid = year === 2020 && month >= 3 && month <= 5 ? 0.72 : 1;
  return base * covid * (1 + 0.012 * (year - 2015));
}

export interface DemoMunicipality {
  code: string;
  name: string;
  /** The demo's two source regions; the scale bench's national extracts use other maakunta names too. */
  region: 'pohjois-pohjanmaa' | 'kainuu' | (string & {});
  population: Map<number, number>;
}

/**
 * Pohjois-Pohjanmaa (maakunta 17) and Kainuu (18) municipalities of the 2025 key, with their population by year;
 * with `counties` (wellbeing county codes) the municipalities of those counties instead (the scale bench).
 */
export function demoMunicipalities(counties?: ReadonlySet<string>): DemoMunicipality[] {
  const keyLines = readFileSync(fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'), 'utf8').split(/\r?\n/);
  const header = splitHeaderLine(keyLines[0] ?? '', ',');
  const col = (n: string) => header.indexOf(n);
  const out = new Map<string, DemoMunicipality>();
  for (const line of keyLines.slice(1)) {
    if (!line) continue;
    const f = splitHeaderLine(line, ',');
    if (f[col('year')] !== '2025') continue;
    const maakunta = f[col('maakunta_code')];
    if (counties ? !counties.has(f[col('hyvinvointialue_code')] as string) : maakunta !== '17' && maakunta !== '18') continue;
    const code = f[col('municipality_code')] as string;
    const region = maakunta === '17' ? 'pohjois-pohjanmaa' : maakunta === '18' ? 'kainuu' : (f[col('maakunta_name_fi')] as string).toLowerCase();
    out.set(code, { code, name: f[col('municipality_name_fi')] as string, region, population: new Map() });
  }
  for (const line of readFileSync(fromRoot('data/reference/sotkanet/population_by_municipality_2000_2022.csv'), 'utf8').split(/\r?\n/).slice(1)) {
    const [code, year, population] = line.split(',');
    const m = code ? out.get(code) : undefined;
    if (m && year && population) m.population.set(Number(year), Number(population));
  }
  return [...out.values()].sort((a, b) => a.code.localeCompare(b.code));
}

function populationIn(m: DemoMunicipality, year: number): number {
  const years = [...m.population.keys()];
  const nearest = years.reduce((best, y) => (Math.abs(y - year) < Math.abs(best - year) ? y : best), years[0] ?? year);
  return m.population.get(nearest) ?? 0;
}

export interface MonthlyRow {
  month: string; // YYYY-MM
  municipality: string;
  specialty: Specialty;
  type: number; // index into SERVICE_TYPES_*
  visits: number;
  carePeriods: number;
  bedDays: number;
  patients: number;
  cost: number;
  /** Index into the age groups (rows split by age only). */
  age?: number;
}

/** Adds `draws` units to `into`, each to index i with probability weights[i] / sum (a multinomial draw). */
function multinomial(random: () => number, draws: number, weights: readonly number[], into: number[]): void {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  for (let d = 0; d < draws; d++) {
    const u = random() * total;
    let i = 0;
    while (i < cumulative.length - 1 && (cumulative[i] as number) <= u) i++;
    into[i] = (into[i] as number) + 1;
  }
}

/**
 * Splits a row over the 18 age groups, keeping every total of the row: patients by a multinomial over the
 * specialty's age profile times the age structure; visits or care periods give each group its patients and the
 * rest in proportion to them; bed days each care period one day and the rest in proportion to the care periods;
 * euros (in cents, largest remainder) in proportion to the visits or care periods. So in every age row patients
 * ≤ visits or care periods ≤ bed days, as before. Rows with nothing are left out. Pure given `random`.
 */
export function splitByAge(row: MonthlyRow, random: () => number): MonthlyRow[] {
  const profile = DEMO_AGE_PROFILES[row.specialty.code] ?? DEMO_AGE_STRUCTURE.map(() => 1);
  const weights = DEMO_AGE_STRUCTURE.map((n, g) => n * (profile[g] as number));
  const zero = () => weights.map(() => 0);
  const patients = zero();
  multinomial(random, row.patients, weights, patients);
  const n = row.visits + row.carePeriods;
  const counts = [...patients];
  multinomial(random, n - row.patients, patients, counts);
  const bedDays = [...(row.bedDays > 0 ? counts : zero())];
  if (row.bedDays > 0) multinomial(random, row.bedDays - n, counts, bedDays);
  const cents = Math.round(row.cost * 100);
  const exact = counts.map((c) => (cents * c) / n);
  const cost = exact.map(Math.floor);
  let left = cents - cost.reduce((a, b) => a + b, 0);
  for (const g of exact.map((_, i) => i).sort((a, b) => (exact[b] as number) - Math.floor(exact[b] as number) - ((exact[a] as number) - Math.floor(exact[a] as number)) || a - b)) {
    if (left <= 0) break;
    cost[g] = (cost[g] as number) + 1;
    left--;
  }
  const inpatient = row.carePeriods > 0;
  const out: MonthlyRow[] = [];
  counts.forEach((c, g) => {
    if (c === 0) return;
    out.push({
      ...row,
      visits: inpatient ? 0 : c,
      carePeriods: inpatient ? c : 0,
      bedDays: bedDays[g] as number,
      patients: patients[g] as number,
      cost: (cost[g] as number) / 100,
      age: g,
    });
  });
  return out;
}

/** The aggregated monthly rows of one municipality and year (pure given the seed). */
export function monthlyRows(m: DemoMunicipality, year: number, random: () => number): MonthlyRow[] {
  const rows: MonthlyRow[] = [];
  const population = populationIn(m, year);
  // Municipalities differ a little in how much they use (distance to the hospital, age structure).
  const local = 0.85 + 0.3 * random();
  for (let month = 1; month <= 12; month++) {
    const k = (population / 1000 / 12) * season(year, month) * local;
    for (const s of DEMO_SPECIALTIES) {
      for (let t = 0; t < 4; t++) {
        const n = poisson(random, (s.rates[t] as number) * k);
        if (n === 0) continue;
        const inpatient = t === 1;
        const bedDays = inpatient ? Math.max(n, poisson(random, n * s.stay)) : 0;
        const perPatient = inpatient ? 1.15 : t === 0 ? s.visitsPerPatient : 1.05;
        const patients = Math.max(1, Math.min(n, Math.round(n / perPatient + (random() - 0.5))));
        const cost = Math.round(n * (s.unitCost[t] as number) * (0.9 + 0.2 * random()) * (1 + 0.02 * (year - 2015)) * 100) / 100;
        rows.push({
          month: `${year}-${String(month).padStart(2, '0')}`,
          municipality: m.code,
          specialty: s,
          type: t,
          visits: inpatient ? 0 : n,
          carePeriods: inpatient ? n : 0,
          bedDays,
          patients,
          cost,
        });
      }
    }
  }
  return rows;
}

const fiNumber = (x: number, decimals: number) => x.toFixed(decimals).replace('.', ',');

function finnishCsv(rows: MonthlyRow[], withNames: boolean, withAge = false): string {
  const header = withNames
    ? 'Kuukausi;Kotikunta;Erikoisala;Erikoisalan nimi;Palvelumuoto;Käynnit;Hoitojaksot;Hoitopäivät;Potilaat;Kustannukset (eur)'
    : withAge
      ? 'Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Ikäryhmä;Käynnit;Hoitojaksot;Hoitopäivät;Potilaat;Kustannukset (eur)'
      : 'Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Käynnit;Hoitojaksot;Hoitopäivät;Potilaat;Kustannukset (eur)';
  const lines = rows.map((r) =>
    [
      r.month,
      r.municipality,
      r.specialty.code,
      ...(withNames ? [r.specialty.name] : []),
      SERVICE_TYPES_FI[r.type],
      ...(withAge ? [DEMO_AGE_LABELS[r.age ?? -1]] : []),
      r.visits,
      r.carePeriods,
      r.bedDays,
      r.patients,
      fiNumber(r.cost, 2),
    ].join(';'),
  );
  return `${header}\r\n${lines.join('\r\n')}\r\n`;
}

function englishCsv(rows: MonthlyRow[]): string {
  const header = 'month,municipality_code,specialty_code,service_type,visits,care_periods,bed_days,patients,cost_eur';
  const lines = rows.map((r) =>
    [`${r.month}-01`, r.municipality, r.specialty.code, SERVICE_TYPES[r.type], r.visits, r.carePeriods, r.bedDays, r.patients, r.cost.toFixed(2)].join(','),
  );
  return `${header}\n${lines.join('\n')}\n`;
}

export const DEMO_FIRST_YEAR = 2015;
export const DEMO_LAST_YEAR = 2025;
export const DEMO_SEED = 20130101;
/** Pohjois-Pohjanmaa's extracts from this year on carry an age group column. */
export const DEMO_AGE_FROM_YEAR = 2024;

/**
 * Writes the demo drop folder: pohjois-pohjanmaa_<year>.csv.gz and kainuu_<year>.csv.gz (2015-2025), except
 * kainuu_2019.csv (Windows-1252, with a mistyped municipality code and a negative correction row) and
 * kainuu_2025.xlsx. Pohjois-Pohjanmaa from DEMO_AGE_FROM_YEAR on is split by age group with its own seeded
 * generator, so the other files and every total stay as they were. Returns the file names.
 */
export async function writeDemoExtracts(dir: string, seed = DEMO_SEED): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const random = rng(seed);
  const municipalities = demoMunicipalities();
  const written: string[] = [];
  for (let year = DEMO_FIRST_YEAR; year <= DEMO_LAST_YEAR; year++) {
    for (const region of ['pohjois-pohjanmaa', 'kainuu'] as const) {
      const rows = municipalities.filter((m) => m.region === region).flatMap((m) => monthlyRows(m, year, random));
      rows.sort((a, b) => a.month.localeCompare(b.month) || a.municipality.localeCompare(b.municipality));
      const base = `${region}_${year}`;
      if (region === 'kainuu' && year === 2019) {
        // A Windows-1252 export from a desktop tool, with two defects the pipeline must quarantine.
        const text = finnishCsv(rows, true).split('\r\n');
        const find = (from: number, test: RegExp) => text.findIndex((line, k) => k >= from && test.test(line));
        const i = find(Math.floor(text.length / 3), /^\d{4}-\d{2};205;/);
        text[i] = (text[i] as string).replace(/^(\d{4}-\d{2});205;/, '$1;2055;'); // mistyped Kajaani
        const j = find(Math.floor((2 * text.length) / 3), /^(?:[^;]*;){5}[1-9]\d*;/);
        text[j] = (text[j] as string).replace(/^((?:[^;]*;){5})(\d+);/, '$1-$2;'); // negative correction row
        writeFileSync(join(dir, `${base}.csv`), text.join('\r\n'), {
          encoding: 'latin1',
        });
        written.push(`${base}.csv`);
      } else if (region === 'kainuu' && year === 2025) {
        await writeXlsx(join(dir, `${base}.xlsx`), rows);
        written.push(`${base}.xlsx`);
      } else if (region === 'pohjois-pohjanmaa' && year >= DEMO_AGE_FROM_YEAR) {
        const ageRandom = rng(seed + year);
        const text = `\uFEFF${finnishCsv(rows.flatMap((r) => splitByAge(r, ageRandom)), false, true)}`;
        writeFileSync(join(dir, `${base}.csv.gz`), gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
        written.push(`${base}.csv.gz`);
      } else {
        const text = region === 'pohjois-pohjanmaa' && year === 2023 ? englishCsv(rows) : `\uFEFF${finnishCsv(rows, region === 'kainuu')}`;
        writeFileSync(join(dir, `${base}.csv.gz`), gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
        written.push(`${base}.csv.gz`);
      }
    }
  }
  return written;
}

/**
 * The scale bench's extracts: every municipality of `counties` (wellbeing county codes), months of `fromYear` to
 * `toYear`, one English-header CSV per year (national_<year>.csv), the demo's rates and seasonality. Returns the rows
 * written.
 */
export function writeNationalExtracts(dir: string, counties: ReadonlySet<string>, fromYear: number, toYear: number, seed = DEMO_SEED): number {
  mkdirSync(dir, { recursive: true });
  const random = rng(seed);
  const municipalities = demoMunicipalities(counties);
  let written = 0;
  for (let year = fromYear; year <= toYear; year++) {
    const rows = municipalities.flatMap((m) => monthlyRows(m, year, random));
    writeFileSync(join(dir, `national_${year}.csv`), englishCsv(rows));
    written += rows.length;
  }
  return written;
}

async function writeXlsx(file: string, rows: MonthlyRow[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(Date.UTC(2026, 0, 15));
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Palvelukäyttö');
  sheet.addRow(['Kuukausi', 'Kunta', 'Erikoisala', 'Erikoisalan nimi', 'Palvelumuoto', 'Käynnit', 'Hoitojaksot', 'Hoitopäivät', 'Potilaat', 'Euroa']);
  for (const r of rows) {
    const [y, m] = r.month.split('-').map(Number) as [number, number];
    sheet.addRow([new Date(Date.UTC(y, m - 1, 1)), Number(r.municipality), r.specialty.code, r.specialty.name, SERVICE_TYPES_FI[r.type], r.visits, r.carePeriods, r.bedDays, r.patients, r.cost]);
  }
  sheet.getColumn(1).numFmt = 'yyyy-mm';
  await workbook.xlsx.writeFile(file);
}

/**
 * Streams an event-level extract of `rows` rows (one per visit or care period, 2015-2025) to `file` with constant
 * memory: `;`-separated, decimal comma, Finnish headers, UTF-8. Municipalities are drawn by population, specialties
 * and service types by the demo rates.
 */
export async function writeEventExtract(file: string, rows: number, seed = DEMO_SEED, opts: { patientIds?: boolean } = {}): Promise<void> {
  const random = rng(seed);
  const municipalities = demoMunicipalities();
  const weights = municipalities.map((m) => populationIn(m, 2020));
  const combos: { s: Specialty; t: number; w: number }[] = [];
  for (const s of DEMO_SPECIALTIES) for (let t = 0; t < 4; t++) if ((s.rates[t] as number) > 0) combos.push({ s, t, w: s.rates[t] as number });
  const cumulative = (ws: number[]) => {
    const total = ws.reduce((a, b) => a + b, 0);
    let acc = 0;
    return ws.map((w) => (acc += w / total));
  };
  const mCum = cumulative(weights);
  const cCum = cumulative(combos.map((c) => c.w));
  const pick = (cum: number[]) => {
    const u = random();
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = Date.UTC(2015, 0, 1);
  const days = Math.round((Date.UTC(2025, 11, 31) - start) / 86_400_000) + 1;
  // Day strings precomputed (with room for the longest stay after the last day): no Date per row.
  const dayText: string[] = [];
  for (let d = 0; d < days + 200; d++) {
    const t = new Date(start + d * 86_400_000);
    dayText.push(`${t.getUTCDate()}.${t.getUTCMonth() + 1}.${t.getUTCFullYear()}`);
  }
  const drgs: string[] = [];
  for (let n = 1; n <= 25; n++) for (const l of 'ABCDEFGHM') drgs.push(`${String(n).padStart(2, '0')}${l}`);
  const euros = (x: number) => {
    const cents = Math.round(x * 100);
    const c = cents % 100;
    return `${(cents - c) / 100},${c < 10 ? '0' : ''}${c}`;
  };
  const out = createWriteStream(file);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write(`Tulopäivä;Lähtöpäivä;Kotikunta;Erikoisala;Palvelumuoto;DRG;Kustannus${opts.patientIds ? ';Potilastunniste' : ''}\n`);
  const batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    const m = municipalities[pick(mCum)] as DemoMunicipality;
    const c = combos[pick(cCum)] as { s: Specialty; t: number };
    const day = Math.floor(random() * days);
    const inpatient = c.t === 1;
    const stay = inpatient ? 1 + Math.floor(random() * 2 * c.s.stay) : 0;
    const cost = (c.s.unitCost[c.t] as number) * (0.5 + random());
    const drg = inpatient || c.t === 2 ? (drgs[Math.floor(random() * drgs.length)] as string) : '';
    batch.push(
      `${dayText[day]};${inpatient ? dayText[day + stay] : ''};${m.code};${c.s.code};${SERVICE_TYPES_FI[c.t]};${drg};${euros(cost)}` +
        (opts.patientIds ? `;p${Math.floor(random() * 400_000)}` : '') +
        '\n',
    );
    if (batch.length === 20_000) {
      await write(batch.join(''));
      batch.length = 0;
    }
  }
  await write(batch.join(''));
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

async function main(argv: string[]): Promise<void> {
  const [command, a, b, c] = argv;
  if (command === 'demo') {
    const dir = a ?? fromRoot('data/demo/service-use');
    const files = await writeDemoExtracts(dir);
    process.stdout.write(`wrote ${files.length} demo extracts to ${dir}\n`);
  } else if (command === 'events' && a && b) {
    await writeEventExtract(a, Number(b), c ? Number(c) : DEMO_SEED);
    process.stdout.write(`wrote ${b} events to ${a}\n`);
  } else {
    process.stderr.write('usage: service-use-extracts.ts demo [dir] | events <file> <rows> [seed]\n');
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await main(process.argv.slice(2));
}
