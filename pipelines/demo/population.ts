#!/usr/bin/env -S npx tsx
/**
 * Generates the demo population-by-age files in data/demo/population (committed), for every municipality of the
 * Pohjois-Pohjanmaa (19) and Kainuu (20) wellbeing services counties on the boundaries of 2026:
 *
 *   - vaesto_ika_2000_2022.json: history 2000-2022 as a JSON-stat2 dataset shaped like StatFin's 11re (dimensions
 *     Alue "KU244"/"Kempele", Ikä 5-year groups with the total "SSS", Vuosi, Tiedot). The TOTALS ARE REAL (Sotkanet
 *     indicator 127, data/reference/sotkanet/population_by_municipality_2000_2022.csv): the age groups of each
 *     municipality and year sum exactly to them (largest-remainder rounding). The AGE STRUCTURE IS SYNTHETIC:
 *     a Finnish-like pyramid shifted by the municipality's growth and size (growing and large municipalities
 *     such as Oulu and the Lakeus area younger, small shrinking ones older), the baby-boom cohort moving through,
 *     ageing over time and a small seeded per-municipality variation.
 *   - vaestoennuste_2023_2045.csv: a projection 2023-2045 in Statistics Finland's PxWeb CSV shape (a title line,
 *     stub columns "Alue","Ikä","Laskelma", one column per year "2023 Väestöennuste 31.12."), two variants:
 *     'perus' (net migration continuing the municipality's real 2012-2022 trend) and 'muuttotase_0' (zero net
 *     migration). A simple deterministic cohort-component step from the synthetic 2022 base: one fifth of each
 *     group ages into the next each year, age-specific death rates, births from the 20-44 population.
 *     NOT Statistics Finland's projection.
 *
 *   npx tsx pipelines/demo/population.ts [outDir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../paths.js';
import { seededRandom } from '../seeded-random.js';
import { splitCsv } from '../csv.js';
import { AGE_GROUPS } from '../population/pxweb.js';

export const HISTORY_FILE = 'vaesto_ika_2000_2022.json';
export const PROJECTION_FILE = 'vaestoennuste_2023_2045.csv';
const HISTORY_YEARS = { from: 2000, to: 2022 };
const PROJECTION_YEARS = { from: 2023, to: 2045 };
const COUNTIES = new Set(['19', '20']);
const KEY_YEAR = '2026';
export const DEMO_NOTE =
  'DEMO: real population totals (THL Sotkanet indicator 127), synthetic age structure; projection computed by a ' +
  'simple cohort-component model of this product, not Statistics Finland\'s population projection.';

/** Finland-like age shares around 2000 (percent), for '0-4' … '85+'. */
const BASE_SHARES = [5.7, 6.2, 6.4, 6.3, 6.2, 6.4, 6.1, 6.9, 7.5, 7.7, 7.7, 6.0, 5.2, 4.6, 4.2, 3.2, 2.0, 1.3];
/** Annual death probabilities per group. */
const DEATH_RATES = [0.0004, 0.0001, 0.0001, 0.0003, 0.0005, 0.0006, 0.0007, 0.0009, 0.0013, 0.002, 0.003, 0.0045, 0.007, 0.011, 0.018, 0.03, 0.055, 0.14];
/** Relative mobility by age: net migration is spread over the groups by population × mobility (young adults move most). */
const MIGRATION_PROFILE = [0.08, 0.05, 0.04, 0.1, 0.22, 0.18, 0.12, 0.07, 0.05, 0.03, 0.02, 0.015, 0.01, 0.008, 0.005, 0.003, 0.002, 0.002];
/** Births per person aged 20-44 per year (≈ total fertility 1.4 over 25 years, half of them women). */
const BIRTHS_PER_20_44 = 0.028;

export interface DemoMunicipality {
  code: string;
  name_fi: string;
  totals: Map<number, number>;
}

/** Reads the municipalities of counties 19 and 20 (key of 2026; other `counties` for the scale bench) with their real totals 2000-2022. IO. */
export function readDemoMunicipalities(counties: ReadonlySet<string> = COUNTIES): DemoMunicipality[] {
  const key = splitCsv(readFileSync(fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'), 'utf8'), ',');
  const header = key[0]!.fields;
  const col = (n: string) => header.indexOf(n);
  const list = key
    .slice(1)
    .filter((r) => r.fields[col('year')] === KEY_YEAR && counties.has(r.fields[col('hyvinvointialue_code')]!))
    .map((r) => ({ code: r.fields[col('municipality_code')]!, name_fi: r.fields[col('municipality_name_fi')]!, totals: new Map<number, number>() }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const byCode = new Map(list.map((m) => [m.code, m]));
  const pop = splitCsv(readFileSync(fromRoot('data/reference/sotkanet/population_by_municipality_2000_2022.csv'), 'utf8'), ',');
  for (const r of pop.slice(1)) {
    const m = byCode.get(r.fields[0]!);
    if (m) m.totals.set(Number(r.fields[1]), Number(r.fields[2]));
  }
  for (const m of list) {
    for (let y = HISTORY_YEARS.from; y <= HISTORY_YEARS.to; y++) {
      if (!m.totals.has(y)) throw new Error(`no real population total for ${m.code} ${m.name_fi} ${y}`);
    }
  }
  return list;
}

/** Splits `total` into integers proportional to `weights` that sum exactly to it (largest remainder). Pure. */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length]!.i]!++;
  return out;
}

/** How young the municipality is, from its real growth 2000-2022 and its size (-1.2 … 1.2). Pure. */
function youth(m: DemoMunicipality): number {
  const growth = m.totals.get(2022)! / m.totals.get(2000)! - 1;
  const size = Math.log10(m.totals.get(2022)!);
  return Math.max(-1.2, Math.min(1.2, growth * 1.5 + (size - 4) * 0.25));
}

/** Synthetic age weights of a municipality in a year (not normalised). Pure given `jitter`. */
function ageWeights(y: number, year: number, jitter: readonly number[]): number[] {
  const t = (year - HISTORY_YEARS.from) / (HISTORY_YEARS.to - HISTORY_YEARS.from);
  return BASE_SHARES.map((share, g) => {
    const mid = g === 17 ? 88 : g * 5 + 2;
    let w = share * Math.exp((0.35 * y * (40 - mid)) / 40);
    if (mid >= 20 && mid <= 34 && y < 0) w *= Math.exp(0.3 * y); // young adults leave remote municipalities
    w *= mid >= 40 ? Math.exp((0.45 * t * (mid - 40)) / 40) : Math.exp((0.2 * t * (mid - 40)) / 40);
    const boomAge = year - 1947; // the large post-war cohorts move through the pyramid
    w *= 1 + 0.15 * Math.exp(-((mid - boomAge) ** 2) / (2 * 4 ** 2));
    return w * jitter[g]!;
  });
}

/** History: per municipality, per year, the 18 groups summing to the real total. Pure given the municipalities. */
export function demoHistory(list: readonly DemoMunicipality[]): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  for (const m of list) {
    const random = seededRandom(Number(m.code) * 7919 + 17);
    const jitter = AGE_GROUPS.map(() => 0.96 + 0.08 * random());
    const y = youth(m);
    const years = new Map<number, number[]>();
    for (let year = HISTORY_YEARS.from; year <= HISTORY_YEARS.to; year++) {
      years.set(year, largestRemainder(m.totals.get(year)!, ageWeights(y, year, jitter)));
    }
    out.set(m.code, years);
  }
  return out;
}

/**
 * One cohort-component year: deaths, ageing (1/5 of each group moves up), births, then net migration spread over
 * the groups by population × mobility (so out-migration never empties a group). Pure.
 */
function step(pop: readonly number[], netMigration: number, birthsPer2044: number): number[] {
  const survivors = pop.map((p, g) => p * (1 - DEATH_RATES[g]!));
  const next = survivors.map((s, g) => (g < 17 ? s - s / 5 : s));
  for (let g = 1; g < 18; g++) next[g]! += survivors[g - 1]! / 5;
  const adults = pop.slice(4, 9).reduce((a, b) => a + b, 0);
  next[0]! += adults * birthsPer2044;
  const exposure = next.map((p, g) => p * MIGRATION_PROFILE[g]!);
  const total = exposure.reduce((a, b) => a + b, 0);
  return next.map((p, g) => Math.max(0, p + (total > 0 ? (netMigration * exposure[g]!) / total : 0)));
}

/** Projection: per variant, municipality, year, the 18 groups (rounded). Pure given the history. */
export function demoProjection(
  list: readonly DemoMunicipality[],
  history: Map<string, Map<number, number[]>>,
): Map<string, Map<string, Map<number, number[]>>> {
  const out = new Map<string, Map<string, Map<number, number[]>>>([
    ['perus', new Map()],
    ['muuttotase_0', new Map()],
  ]);
  for (const m of list) {
    const base = history.get(m.code)!.get(HISTORY_YEARS.to)!;
    const births = BIRTHS_PER_20_44 * Math.exp(0.15 * youth(m));
    // Net migration: the real 2012-2022 average change minus the model's natural change at the base.
    const trend = (m.totals.get(2022)! - m.totals.get(2012)!) / 10;
    const natural = step(base, 0, births).reduce((a, b) => a + b, 0) - base.reduce((a, b) => a + b, 0);
    const netMigration = trend - natural;
    for (const [variant, byMunicipality] of out) {
      let pop = base.slice();
      const years = new Map<number, number[]>();
      for (let year = PROJECTION_YEARS.from; year <= PROJECTION_YEARS.to; year++) {
        // The migration trend fades slowly (3 % a year), as projections assume.
        pop = step(pop, variant === 'perus' ? netMigration * 0.97 ** (year - PROJECTION_YEARS.from) : 0, births);
        years.set(year, pop.map((p) => Math.round(p)));
      }
      byMunicipality.set(m.code, years);
    }
  }
  return out;
}

const ageLabel = (g: string) => (g === '85+' ? '85 -' : g.replace('-', ' - '));
const ageCode = (g: string) => (g === '85+' ? '85-' : g);

/** The history as a JSON-stat2 dataset shaped like StatFin's. Pure. */
export function historyJsonStat(list: readonly DemoMunicipality[], history: Map<string, Map<number, number[]>>): string {
  const years: string[] = [];
  for (let y = HISTORY_YEARS.from; y <= HISTORY_YEARS.to; y++) years.push(String(y));
  const ages = ['SSS', ...AGE_GROUPS.map(ageCode)];
  const value: number[] = [];
  for (const m of list) {
    for (let a = 0; a < ages.length; a++) {
      for (const y of years) {
        const groups = history.get(m.code)!.get(Number(y))!;
        value.push(a === 0 ? groups.reduce((s, v) => s + v, 0) : groups[a - 1]!);
      }
    }
  }
  const dataset = {
    class: 'dataset',
    version: '2.0',
    label: 'DEMO Väestö 31.12. muuttujina Alue, Ikä, Vuosi ja Tiedot (Pohjois-Pohjanmaan ja Kainuun hyvinvointialueiden kunnat)',
    source: 'Demo data of this product: totals THL / Sotkanet indicator 127 (CC BY 4.0), age structure synthetic',
    updated: '2024-06-01T00:00:00Z',
    note: [DEMO_NOTE, 'Generated by pipelines/population/demo-population.ts; see docs/population.md.'],
    extension: { demo: true, synthetic: 'age structure', real: 'totals per municipality and year' },
    id: ['Alue', 'Ikä', 'Vuosi', 'Tiedot'],
    size: [list.length, ages.length, years.length, 1],
    dimension: {
      Alue: {
        label: 'Alue',
        category: {
          index: Object.fromEntries(list.map((m, i) => [`KU${m.code}`, i])),
          label: Object.fromEntries(list.map((m) => [`KU${m.code}`, m.name_fi])),
        },
      },
      'Ikä': {
        label: 'Ikä',
        category: {
          index: Object.fromEntries(ages.map((a, i) => [a, i])),
          label: Object.fromEntries(ages.map((a, i) => [a, i === 0 ? 'Yhteensä' : ageLabel(AGE_GROUPS[i - 1]!)])),
        },
      },
      Vuosi: { label: 'Vuosi', category: { index: Object.fromEntries(years.map((y, i) => [y, i])), label: Object.fromEntries(years.map((y) => [y, y])) } },
      Tiedot: { label: 'Tiedot', category: { index: { vaesto: 0 }, label: { vaesto: 'Väestö 31.12.' }, unit: { vaesto: { base: 'henkilöä', decimals: 0 } } } },
    },
    role: { time: ['Vuosi'], geo: ['Alue'], metric: ['Tiedot'] },
    value,
  };
  // One line per dimension block keeps the file readable and small.
  const { value: _v, ...head } = dataset;
  const headText = JSON.stringify(head, null, 1);
  return `${headText.slice(0, -2)},\n "value": [\n${chunk(value, list.length * ages.length === 0 ? 1 : years.length)
    .map((c) => `  ${c.join(',')}`)
    .join(',\n')}\n ]\n}\n`;
}

function chunk<T>(list: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

/** The projection as a PxWeb CSV (title line, blank line, header, one row per area × age × variant). Pure. */
export function projectionCsv(
  list: readonly DemoMunicipality[],
  projection: Map<string, Map<string, Map<number, number[]>>>,
): string {
  const years: number[] = [];
  for (let y = PROJECTION_YEARS.from; y <= PROJECTION_YEARS.to; y++) years.push(y);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = [
    q(`DEMO Väestöennuste iän mukaan alueittain, ${PROJECTION_YEARS.from}-${PROJECTION_YEARS.to}. ${DEMO_NOTE}`),
    '',
    ['Alue', 'Ikä', 'Laskelma', ...years.map((y) => `${y} Väestöennuste 31.12.`)].map(q).join(','),
  ];
  for (const m of list) {
    for (const [variant, byMunicipality] of projection) {
      const byYear = byMunicipality.get(m.code)!;
      lines.push([q(m.name_fi), q('Yhteensä'), q(variant), ...years.map((y) => String(byYear.get(y)!.reduce((a, b) => a + b, 0)))].join(','));
      AGE_GROUPS.forEach((g, i) => {
        lines.push([q(m.name_fi), q(ageLabel(g)), q(variant), ...years.map((y) => String(byYear.get(y)![i]))].join(','));
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

export function writeDemoPopulation(outDir: string, counties: ReadonlySet<string> = COUNTIES): { municipalities: number; files: string[] } {
  const list = readDemoMunicipalities(counties);
  const history = demoHistory(list);
  const projection = demoProjection(list, history);
  mkdirSync(outDir, { recursive: true });
  const files = [join(outDir, HISTORY_FILE), join(outDir, PROJECTION_FILE)];
  writeFileSync(files[0]!, historyJsonStat(list, history));
  writeFileSync(files[1]!, projectionCsv(list, projection));
  return { municipalities: list.length, files };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const out = fromRoot(process.argv[2] ?? 'data/demo/population');
  const r = writeDemoPopulation(out);
  console.log(`demo population: ${r.municipalities} municipalities → ${r.files.join(', ')}`);
}
