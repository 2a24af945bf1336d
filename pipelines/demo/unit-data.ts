/**
 * Deterministic demo unit data (docs/scorecard.md, "Unit data"): monthly rows for the units in
 * config/organisation.yaml, 2019-01 … 2025-12, one CSV per year, plus a few defective rows in the last file so that
 * the rejects show. The same input always gives the same bytes. Run `npx tsx pipelines/demo/unit-data.ts [dir]`
 * to rewrite data/demo/unit-data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromRoot } from '../paths.js';
import { loadOrganisation } from '../regions/organisation.js';
import { UNIT_DATA_COLUMNS } from '../unit-data/columns.js';
import { seededRandom } from '../seeded-random.js';

export interface DemoUnit {
  code: string;
  validFrom: string | null;
  validTo: string | null;
}

/** A small seeded generator (mulberry32 on a string hash): deterministic across platforms. */
function rng(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return seededRandom(h);
}

type Kind = 'health_station' | 'home_care' | 'ward';
function kindOf(code: string): Kind {
  if (code.endsWith('-ta')) return 'health_station';
  if (code.includes('kotihoito')) return 'home_care';
  return 'ward';
}

const SMALL = new Set(['reisjarvi-ta', 'puolanka-ta', 'paltamo-ta', 'suomussalmi-kotihoito']);

/** Unit-months the demo leaves unreported, so that completeness shows gaps. */
export const DEMO_MISSING = new Set(['kuhmo-ta:2025-05', 'kuhmo-ta:2025-06', 'haapajarvi-ta:2022-11']);

const fmt = (x: number, d: number) => x.toFixed(d);

/** The demo rows of one unit and month, as CSV cells in UNIT_DATA_COLUMNS order. Pure. */
export function demoRow(unit: string, year: number, month: number): string[] {
  const base = rng(unit);
  const r = rng(`${unit}:${year}-${month}`);
  const kind = kindOf(unit);
  const size = 0.6 + base() * 0.9;
  const small = SMALL.has(unit);
  const htv = (kind === 'health_station' ? (small ? 6 : 22) : kind === 'home_care' ? (small ? 14 : 45) : 32) * size * (0.95 + r() * 0.1);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const winter = month <= 3 || month === 12 ? 1.25 : month >= 6 && month <= 8 ? 0.8 : 1;
  const covid = (year === 2020 && month >= 3) || year === 2021 || (year === 2022 && month <= 4) ? 1.35 : 1;
  const trend = 1 + (year - 2019) * (base() - 0.4) * 0.04;
  const sickPct = (0.045 + base() * 0.03) * winter * covid * trend * (0.85 + r() * 0.3);
  const sickDays = htv * days * sickPct;
  const overtime = htv * (2 + base() * 5) * (month === 7 ? 1.8 : 1) * (0.8 + r() * 0.4);
  const training = htv * (0.1 + base() * 0.25) * (month === 7 ? 0.1 : 1) * (0.6 + r() * 0.8);
  const summer = month === 7 ? 0.6 : 1;
  const visitsPerHtv = kind === 'health_station' ? 95 : kind === 'home_care' ? 140 : 4;
  const visits = Math.round(htv * visitsPerHtv * summer * (0.9 + r() * 0.2));
  let queue = '';
  let wait = '';
  if (kind !== 'ward') {
    const q = kind === 'health_station' ? Math.round(htv * (1.5 + base() * 4) * winter * (0.7 + r() * 0.6)) : Math.round(small ? r() * 8 : 3 + r() * 20);
    queue = String(q);
    wait = q === 0 ? '' : fmt((kind === 'health_station' ? 4 + base() * 18 : 2 + base() * 6) * winter * trend * (0.8 + r() * 0.4), 1);
  }
  const respondents = Math.max(0, Math.round((small ? 1 + r() * 9 : 8 + r() * 40 * size) - (month === 7 ? 5 : 0)));
  const score = respondents === 0 ? '' : fmt(Math.min(5, Math.max(1, 3.6 + base() * 0.9 + (r() - 0.5) * 0.5)), 2);
  return [unit, `${year}-${String(month).padStart(2, '0')}`, fmt(htv, 2), fmt(sickDays, 1), fmt(overtime, 1), fmt(training, 1),
    String(visits), queue, wait, score, String(respondents)];
}

function reported(u: DemoUnit, year: number, month: number): boolean {
  const m = `${year}-${String(month).padStart(2, '0')}`;
  if (DEMO_MISSING.has(`${u.code}:${m}`)) return false;
  return (u.validFrom === null || m >= u.validFrom.slice(0, 7)) && (u.validTo === null || m <= u.validTo.slice(0, 7));
}

/** Defective rows appended to the last year's file: each shows one reject reason. */
export const DEMO_DEFECTS: readonly string[][] = [
  ['tuntematon-yksikko', '2025-01', '10.00', '12.0', '5.0', '1.0', '900', '30', '8.0', '4.10', '20'],
  ['kajaani-ta', '2025-13', '20.00', '22.0', '40.0', '3.0', '1900', '60', '9.0', '4.20', '25'],
  // the months the demo leaves unreported: each of these lines shows one reason, and the gap stays
  ['kuhmo-ta', '2025-05', '-3', '22.0', '40.0', '3.0', '1900', '60', '9.0', '4.20', '25'],
  ['kuhmo-ta', '2025-06', '18.00', '20.0', '30.0', '2.0', 'paljon', '50', '7.5', '4.00', '22'],
  ['haapajarvi-ta', '2022-11', '15.00', '18.0', '30.0', '2.0', '1400', '40', '6.0', '7.5', '15'],
  ['puolanka-ta', '2025-03', '5.00', '6.0', '8.0', '1.0', '400', '10', '5.0', '4.30', '6'],
  ['kajaani-ta', '2025-01', '20.00', '22.0', '40.0', '3.0', '1900', '60', '9.0', '4.20', '25'],
];

/** The demo files: name → CSV text. Pure given the units. */
export function demoFiles(units: readonly DemoUnit[], first = 2019, last = 2025): Map<string, string> {
  const files = new Map<string, string>();
  for (let year = first; year <= last; year++) {
    const lines = [UNIT_DATA_COLUMNS.join(',')];
    for (const u of units) {
      for (let month = 1; month <= 12; month++) if (reported(u, year, month)) lines.push(demoRow(u.code, year, month).join(','));
    }
    if (year === last) for (const d of DEMO_DEFECTS) lines.push(d.join(','));
    files.set(`yksikkotiedot_${year}.csv`, lines.join('\n') + '\n');
  }
  return files;
}

export function writeDemoUnitData(dir: string, organisationFile = fromRoot('config/organisation.yaml')): string[] {
  const org = loadOrganisation(organisationFile);
  const units = org.units.map((u) => ({ code: u.code, validFrom: u.valid_from ?? null, validTo: u.valid_to ?? null }));
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of demoFiles(units)) {
    writeFileSync(join(dir, name), text);
    written.push(join(dir, name));
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = writeDemoUnitData(fromRoot(process.argv[2] ?? 'data/demo/unit-data'));
  console.log(`wrote ${files.length} files`);
}
