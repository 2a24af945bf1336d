#!/usr/bin/env -S npx tsx
/**
 * Generates the demo mirror data/demo/sotkanet (committed), in the offline-mirror format:
 *   - indicator 127 (population 31.12.): the REAL values from data/reference/sotkanet/population_by_municipality_
 *     2000_2022.csv for every municipality, plus the sums for every hospital district (until 2022), every wellbeing
 *     county and Helsinki and the whole country (Sotkanet reports areas on current boundaries, so these are sums);
 *   - every other default indicator: DETERMINISTIC SYNTHETIC values of plausible size (seeded per indicator and
 *     municipality; flagged in mirror.json, so the marts say is_synthetic and pages say "esimerkkiaineisto") for
 *     every municipality, and for the same comparator regions aggregated from them (rates from summed counts, other
 *     values population-weighted), so Finland's value and a county's rank are consistent with the municipalities.
 * Counts below 5 are left empty, as Sotkanet does for suppressed cells.
 *
 *   npx tsx pipelines/demo/sotkanet-mirror.ts [outDir]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../paths.js';
import { DEFAULT_INDICATORS, type DefaultIndicator } from '../settings/sotkanet-indicators.js';
import { parseRegions, type SotkanetRegion } from '../sotkanet/parse.js';
import { seededRandom } from '../seeded-random.js';

const SYNTHETIC_YEARS = { from: 2018, to: 2023 };
const DATA_UPDATED = '2024-06-01';
const KEPT_CATEGORIES = new Set(['KUNTA', 'SAIRAANHOITOPIIRI', 'HYVINVOINTIALUE', 'ERVA', 'MAA', 'MAAKUNTA']);

/** The shared seeded generator (pipelines/seeded-random.ts). */
export const prng = seededRandom;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cols = (head ?? '').split(',');
  return lines.map((l) => {
    const f = l.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, f[i] ?? '']));
  });
}

/** Typical national level, municipal spread, yearly trend, denominator share of population and scale. */
interface Profile {
  level: number;
  spread: number;
  trend: number;
  denominatorShare: number;
  scale: number | null;
  decimals: number;
}

const PROFILES: Record<number, Profile> = {
  171: { level: 11, spread: 0.3, trend: 0.035, denominatorShare: 1, scale: 100, decimals: 1 },
  761: { level: 62, spread: 0.15, trend: 0.01, denominatorShare: 0, scale: null, decimals: 1 },
  243: { level: 110, spread: 0.12, trend: 0.0, denominatorShare: 0, scale: null, decimals: 1 },
  5641: { level: 100, spread: 0.15, trend: 0.0, denominatorShare: 0, scale: null, decimals: 1 },
  3138: { level: 5500, spread: 0.3, trend: -0.01, denominatorShare: 0, scale: null, decimals: 1 },
  186: { level: 1000, spread: 0.2, trend: 0.01, denominatorShare: 1, scale: 100000, decimals: 1 },
  1570: { level: 91, spread: 0.02, trend: 0.002, denominatorShare: 0.11, scale: 100, decimals: 1 },
  3216: { level: 11, spread: 0.25, trend: -0.01, denominatorShare: 0.11, scale: 100, decimals: 1 },
  3261: { level: 7, spread: 0.25, trend: 0.005, denominatorShare: 0.11, scale: 100, decimals: 1 },
  4123: { level: 700, spread: 0.2, trend: -0.02, denominatorShare: 1, scale: 1000, decimals: 1 },
  1552: { level: 1100, spread: 0.2, trend: -0.015, denominatorShare: 1, scale: 1000, decimals: 1 },
  1560: { level: 1450, spread: 0.15, trend: 0.01, denominatorShare: 1, scale: 1000, decimals: 1 },
  1561: { level: 1200, spread: 0.15, trend: 0.01, denominatorShare: 1, scale: 1000, decimals: 1 },
  1257: { level: 115, spread: 0.15, trend: -0.01, denominatorShare: 1, scale: 1000, decimals: 1 },
  1259: { level: 420, spread: 0.2, trend: -0.02, denominatorShare: 1, scale: 1000, decimals: 1 },
  1260: { level: 75, spread: 0.12, trend: 0.0, denominatorShare: 1, scale: 1000, decimals: 1 },
  6: { level: 2300, spread: 0.3, trend: -0.03, denominatorShare: 0.11, scale: 1000, decimals: 1 },
  3336: { level: 8, spread: 0.6, trend: 0.08, denominatorShare: 1, scale: 10000, decimals: 1 },
  5033: { level: 12, spread: 0.5, trend: 0.03, denominatorShare: 0, scale: null, decimals: 1 },
  1073: { level: 3400, spread: 0.15, trend: 0.035, denominatorShare: 0, scale: null, decimals: 0 },
  1071: { level: 1350, spread: 0.15, trend: 0.04, denominatorShare: 0, scale: null, decimals: 0 },
  1072: { level: 560, spread: 0.2, trend: 0.03, denominatorShare: 0, scale: null, decimals: 0 },
  3133: { level: 100, spread: 0.12, trend: 0.0, denominatorShare: 0, scale: null, decimals: 1 },
  3139: { level: 100, spread: 0.12, trend: 0.0, denominatorShare: 0, scale: null, decimals: 1 },
  4604: { level: 190, spread: 0.2, trend: 0.01, denominatorShare: 1, scale: 10000, decimals: 1 },
};

const VALUE_TYPE_TITLES: Record<string, string> = {
  LKM: 'lukumäärä',
  PROS: 'prosenttia',
  PER1000: '/1000 asukasta',
  PER10000: '/10 000 asukasta',
  PER100000: '/100 000 asukasta',
  INDEKSI: 'indeksi',
  EUROA: 'euroa / asukas',
  SUHDE: 'suhdeluku',
};

function indicatorMeta(ind: DefaultIndicator, synthetic: boolean, range: { start: number; end: number }) {
  const organization = synthetic
    ? {
        id: 0,
        title: {
          fi: 'Esimerkkiaineisto (tuotettu, ei THL:n tietoa)',
          sv: 'Exempeldata (genererad, inte THL:s uppgifter)',
          en: 'Example data (generated, not THL data)',
        },
      }
    : { id: 2, title: { fi: 'Tilastokeskus', sv: 'Statistikcentralen', en: 'Statistics Finland' } };
  return {
    id: ind.id,
    title: {
      fi: synthetic ? `${ind.label_fi} (esimerkkiaineisto)` : ind.label_fi,
      sv: ind.id === 127 ? 'Befolkning 31.12.' : null,
      en: ind.id === 127 ? 'Population 31 Dec' : null,
    },
    'data-updated': DATA_UPDATED,
    range,
    primaryValueType: { code: ind.value_type, title: { fi: VALUE_TYPE_TITLES[ind.value_type] ?? ind.value_type } },
    decimals: ind.id === 127 ? 0 : (PROFILES[ind.id]?.decimals ?? 1),
    classifications: { region: { values: [...KEPT_CATEGORIES] }, sex: { values: ['total'] } },
    organization,
  };
}

function fmt(x: number | null, decimals: number): string {
  if (x === null || !Number.isFinite(x)) return '';
  return decimals === 0 ? String(Math.round(x)) : x.toFixed(decimals);
}

export function generateDemoMirror(outDir: string): { files: number; bytes: number } {
  const regionsFile = fromRoot('data/reference/sotkanet/regions.json');
  const reference = parseRegions(readFileSync(regionsFile, 'utf8'), regionsFile);
  const key = readCsv(fromRoot('data/reference/statfi/municipality_key_2013_2026.csv'));
  const countyIds = readCsv(fromRoot('data/reference/sotkanet/wellbeing_counties_id_map.csv'));
  const population = readCsv(fromRoot('data/reference/sotkanet/population_by_municipality_2000_2022.csv'));
  const lastKeyYear = Math.max(...key.map((r) => Number(r.year)));

  const countySv = new Map(key.map((r) => [r.hyvinvointialue_code, r.hyvinvointialue_name_sv]));
  const counties: SotkanetRegion[] = countyIds.map((c) => ({
    id: Number(c.uusi_id),
    code: c.uusi_code ?? '',
    category: 'HYVINVOINTIALUE',
    title: { fi: c.nimi ?? '', sv: countySv.get(c.uusi_code ?? '') || null, en: null },
    memberOf: [],
    uri: null,
  }));
  const regions = [...reference.filter((r) => KEPT_CATEGORIES.has(r.category)), ...counties];
  const idOf = (category: string, code: string) => {
    const norm = (c: string) => (category === 'KUNTA' ? c.padStart(3, '0') : c.replace(/^0+(?=\d)/, ''));
    const r = regions.find((x) => x.category === category && norm(x.code) === norm(code));
    if (!r) throw new Error(`demo mirror: no Sotkanet region ${category} ${code}`);
    return r.id;
  };

  // Real population per municipality and year; 2023 (not in the file) carries 2022 forward for denominators.
  const pop = new Map<string, number>();
  for (const r of population) pop.set(`${r.municipality_code}:${r.year}`, Number(r.population));
  const popOf = (code: string, year: number) => pop.get(`${code}:${Math.min(year, 2022)}`) ?? 0;
  const popYears = [...new Set(population.map((r) => Number(r.year)))].sort((a, b) => a - b);

  const latest = key.filter((r) => Number(r.year) === lastKeyYear);
  const key2022 = key.filter((r) => Number(r.year) === 2022);
  const countyMembers = (code: string) => latest.filter((r) => r.hyvinvointialue_code === code).map((r) => r.municipality_code ?? '');
  const districtMembers = (code: string) => key2022.filter((r) => r.sairaanhoitop_code === code).map((r) => r.municipality_code ?? '');
  // Every comparator region the pages compare against (docs/sotkanet.md, "Comparator regions"): all wellbeing
  // counties and Helsinki (codes 1-21 and 90 of the Statistics Finland key; Ahvenanmaa, 91, has no wellbeing county),
  // every hospital district until 2022 and every municipality; Finland is the sum over all municipalities.
  const countyCodes = [...new Set(latest.map((r) => r.hyvinvointialue_code ?? ''))].filter((c) => c !== '' && c !== '91');
  const districtCodes = [...new Set(key2022.map((r) => r.sairaanhoitop_code ?? ''))].filter((c) => c !== '' && c !== '0');
  const allMunicipalities = [...new Set(population.map((r) => r.municipality_code ?? ''))].sort();
  const areas: { category: string; code: string; members: string[]; lastYear?: number }[] = [
    ...countyCodes.map((code) => ({ category: 'HYVINVOINTIALUE', code, members: countyMembers(code) })),
    ...districtCodes.map((code) => ({ category: 'SAIRAANHOITOPIIRI', code, members: districtMembers(code), lastYear: 2022 })),
    { category: 'MAA', code: '358', members: allMunicipalities },
  ];
  const demoMunicipalities = allMunicipalities;

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'indicators'), { recursive: true });
  mkdirSync(join(outDir, 'data'), { recursive: true });
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string) => {
    writeFileSync(join(outDir, rel), text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  const header = 'indicator;region;year;gender;primary value;absolute value\n';

  // Population 127: real.
  const ind127 = DEFAULT_INDICATORS.find((d) => d.id === 127);
  if (!ind127) throw new Error('indicator 127 missing from the defaults');
  const lines127: string[] = [];
  for (const code of allMunicipalities) {
    for (const year of popYears) {
      const v = pop.get(`${code}:${year}`);
      if (v !== undefined) lines127.push(`127;${idOf('KUNTA', code)};${year};total;${v};${v}`);
    }
  }
  for (const year of popYears) {
    for (const a of areas) {
      if (a.lastYear !== undefined && year > a.lastYear) continue;
      const total = a.members.reduce((s, m) => s + (pop.get(`${m}:${year}`) ?? 0), 0);
      lines127.push(`127;${idOf(a.category, a.code)};${year};total;${total};${total}`);
    }
  }
  write('data/127.csv', header + lines127.join('\n') + '\n');
  write('indicators/127.json', `${JSON.stringify(indicatorMeta(ind127, false, { start: popYears[0] ?? 2000, end: popYears[popYears.length - 1] ?? 2022 }), null, 2)}\n`);

  // Synthetic indicators.
  const synthetic: number[] = [];
  for (const ind of DEFAULT_INDICATORS) {
    if (ind.id === 127) continue;
    const profile = PROFILES[ind.id];
    if (!profile) throw new Error(`demo mirror: no synthetic profile for indicator ${ind.id}`);
    synthetic.push(ind.id);
    const firstYear = Math.max(SYNTHETIC_YEARS.from, ind.first_year ?? SYNTHETIC_YEARS.from);
    const lastYear = Math.min(SYNTHETIC_YEARS.to, ind.last_year ?? SYNTHETIC_YEARS.to);
    const years: number[] = [];
    for (let y = firstYear; y <= lastYear; y++) years.push(y);
    const lines: string[] = [];
    // Per municipality: a level effect, then yearly values with trend and noise; counts from rate × denominator.
    const municipal = new Map<string, { value: number; count: number | null; denominator: number }>();
    for (const code of demoMunicipalities) {
      const rnd = prng(hash(`${ind.id}:${code}`));
      const effect = 1 + profile.spread * (rnd() * 2 - 1);
      for (const year of years) {
        const t = year - SYNTHETIC_YEARS.from;
        const value = profile.level * effect * (1 + profile.trend) ** t * (1 + 0.03 * (rnd() * 2 - 1));
        const denominator = popOf(code, year) * profile.denominatorShare;
        const count = profile.scale !== null && denominator > 0 ? Math.round((value / profile.scale) * denominator) : null;
        municipal.set(`${code}:${year}`, { value, count, denominator });
        const suppressed = count !== null && count < 5;
        const shownValue = profile.scale !== null && count !== null && denominator > 0 ? (count / denominator) * profile.scale : value;
        lines.push(
          `${ind.id};${idOf('KUNTA', code)};${year};total;${suppressed ? '' : fmt(shownValue, profile.decimals)};${suppressed ? '' : fmt(count, 0)}`,
        );
      }
    }
    // Areas: rates recomputed from summed counts and denominators; other values weighted by population.
    for (const a of areas) {
      for (const year of years) {
        if (a.lastYear !== undefined && year > a.lastYear) continue;
        const cells = a.members.map((m) => municipal.get(`${m}:${year}`)).filter((c): c is { value: number; count: number | null; denominator: number } => c !== undefined);
        if (!cells.length) continue;
        let value: number;
        let count: number | null = null;
        if (profile.scale !== null) {
          count = cells.reduce((s, c) => s + (c.count ?? 0), 0);
          const denominator = cells.reduce((s, c) => s + c.denominator, 0);
          value = (count / denominator) * profile.scale;
        } else {
          const weights = a.members.map((m) => popOf(m, year));
          const totalWeight = weights.reduce((s, w) => s + w, 0);
          value = a.members.reduce((s, m, i) => s + (municipal.get(`${m}:${year}`)?.value ?? 0) * (weights[i] ?? 0), 0) / totalWeight;
        }
        lines.push(`${ind.id};${idOf(a.category, a.code)};${year};total;${fmt(value, profile.decimals)};${fmt(count, 0)}`);
      }
    }
    write(`data/${ind.id}.csv`, header + lines.join('\n') + '\n');
    write(`indicators/${ind.id}.json`, `${JSON.stringify(indicatorMeta(ind, true, { start: firstYear, end: lastYear }), null, 2)}\n`);
  }

  write('regions.json', `[\n${regions.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  write(
    'mirror.json',
    `${JSON.stringify(
      {
        source: 'THL / Sotkanet (demo mirror)',
        base_url: 'https://sotkanet.fi/rest/1.1',
        created_at: `${DATA_UPDATED}T00:00:00Z`,
        note:
          'Generated by pipelines/sotkanet/demo-mirror.ts. Indicator 127 is real (THL / Sotkanet, Tilastokeskus, CC BY 4.0); ' +
          'the indicators listed in synthetic_indicators are deterministic synthetic example data (esimerkkiaineisto).',
        synthetic_indicators: synthetic,
      },
      null,
      2,
    )}\n`,
  );
  return { files, bytes };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const out = fromRoot(process.argv[2] ?? 'data/demo/sotkanet');
  const { files, bytes } = generateDemoMirror(out);
  process.stdout.write(`Demo mirror written to ${out}: ${files} files, ${Math.round(bytes / 1024)} KB\n`);
}
