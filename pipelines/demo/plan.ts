/**
 * The demo plan files (docs/plan.md, "Demo"): service agreements and budgets for 2025 of the two demo organisers,
 * derived from the published demo actuals (marts.service_use_yearly of a warehouse built with `run all`) ± a few per
 * cent, deterministically (seeded by the key). Plan values are not personal data; they come from published yearly
 * sums only. Every file lands under data/demo/plan/ (its path flags it as demo: is_demo in the marts).
 *
 *   npx tsx pipelines/demo/plan.ts <warehouse.duckdb> [out dir]
 *
 * Writes: agreements/pohjois-pohjanmaa_2025.csv (`;`, decimal comma), agreements/kainuu_2025.csv (version 1) and
 * agreements/kainuu_2025_v2.csv (the corrected version 2: Kuhmo's orders revised; both with Kajaani's specialty-group
 * lines), budgets/pohjois-pohjanmaa_2025.csv
 * (whole-year lines, phased by last year's seasonality) and budgets/kainuu_2025.xlsx (monthly phasing given), and
 * budgets/yksikot_2025.csv: every demo unit's visits and staffing (henkilötyövuodet) from its own 2024 unit data
 * (data/demo/unit-data) ± a few per cent; `npx tsx pipelines/plan/demo.ts --units [out dir]` writes only that one (no
 * warehouse needed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { fromRoot } from '../paths.js';
import { seededRandom } from '../seeded-random.js';
import { loadSpecialtyGroups, type SpecialtyGroup } from '../plan/specialty-groups.js';

const ORGANISERS = [
  { org: 'pohjois-pohjanmaan-hyvinvointialue', file: 'pohjois-pohjanmaa', area: 'pph' },
  { org: 'kainuun-hyvinvointialue', file: 'kainuu', area: 'kai' },
] as const;
const YEAR = 2025;

/** A factor 1 ± spread, the same for the same key on every run. Pure. */
export function demoFactor(key: string, spread = 0.04): number {
  let seed = 0;
  for (const ch of key) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  return 1 + (seededRandom(seed)() * 2 - 1) * spread;
}

/**
 * Appends one line per specialty group (config/specialty-groups.yaml) for a municipality to a comma-separated demo
 * agreement: each ordered amount the group's member-specialty lines of the file, × a factor 1 ± 4 % (an agreement
 * negotiated per group, not the sum of its parts). Pure.
 */
export function withGroupLines(csv: string, municipality: string, groups: readonly SpecialtyGroup[]): string {
  const [header, ...rows] = csv.trimEnd().split('\n').map((l) => l.split(','));
  const col = (name: string) => header!.indexOf(name);
  const measures = ['visits', 'care_periods', 'bed_days', 'cost_eur'].map(col);
  const added = groups.map((g) => {
    const members = rows.filter((r) => r[col('municipality_code')] === municipality && g.specialties.includes(r[col('specialty_code')]!));
    const line = [...members[0]!];
    line[col('specialty_code')] = g.code;
    const f = demoFactor(`${line[col('organiser')]}|${municipality}|${g.code}`);
    for (const i of measures) {
      const sum = members.reduce((a, r) => a + Number(r[i] || 0), 0) * f;
      line[i] = i === col('cost_eur') ? sum.toFixed(2) : String(Math.round(sum));
    }
    return line;
  });
  return `${[header!, ...rows, ...added].map((l) => l.join(',')).join('\n')}\n`;
}

interface Row {
  municipality_code: string;
  specialty_code: string;
  visits: number | null;
  care_periods: number | null;
  bed_days: number | null;
  cost_eur: number | null;
}

/** budgets/yksikot_<YEAR>.csv: per running unit, last year's visits (sum) and staffing level (average htv) ± a few per cent. */
async function writeUnitBudgets(out: string): Promise<void> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await conn.runAndReadAll(
    `select unit_code, sum(visits) as visits, avg(staff_htv) as htv
     from read_csv($path, header = true, all_varchar = false) where month like '${YEAR - 1}-%' group by 1
     having max(month) = '${YEAR - 1}-12' order by 1`, // units still running at the year's end
    { path: fromRoot(`data/demo/unit-data/yksikkotiedot_${YEAR - 1}.csv`) },
  );
  const units = reader.getRowObjectsJson() as unknown as { unit_code: string; visits: number; htv: number }[];
  const body = units.flatMap((u) => [
    [YEAR, u.unit_code, 'käynnit', Math.round(Number(u.visits) * demoFactor(`${u.unit_code}|visits`)), 1].join(';'),
    [YEAR, u.unit_code, 'henkilötyövuodet', (Number(u.htv) * demoFactor(`${u.unit_code}|htv`, 0.03)).toFixed(1).replace('.', ','), 1].join(';'),
  ]);
  mkdirSync(join(out, 'budgets'), { recursive: true });
  writeFileSync(join(out, 'budgets', `yksikot_${YEAR}.csv`), `Vuosi;Yksikkö;Tiliryhmä;Määrä;Versio\n${body.join('\n')}\n`);
  conn.closeSync();
}

async function main(): Promise<void> {
  if (process.argv[2] === '--units') return writeUnitBudgets(process.argv[3] ?? fromRoot('data/demo/plan'));
  const [db, outArg] = process.argv.slice(2);
  if (!db) throw new Error('usage: npx tsx pipelines/demo/plan.ts <warehouse.duckdb> [out dir]');
  const out = outArg ?? fromRoot('data/demo/plan');
  mkdirSync(join(out, 'agreements'), { recursive: true });
  mkdirSync(join(out, 'budgets'), { recursive: true });
  await writeUnitBudgets(out);
  const conn = await (await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' })).connect();
  const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as unknown as Row[];
  const months = async (org: string) =>
    (await conn.runAndReadAll(`select cast(month(month) as integer) as m, cost_eur from marts.service_use_summary
      where municipality_level = 'county' and municipality_code = '${org}' and specialty_code = 'ALL' and service_type = 'ALL'
        and year = ${YEAR - 1} order by 1`)).getRowObjectsJson() as unknown as { m: number; cost_eur: number }[];
  for (const { org, file, area } of ORGANISERS) {
    // Municipality × specialty lines and each municipality's total (all service types), and the organiser's whole-area
    // line, from published years.
    const lines = await rows(`
      select case when municipality_level = 'county' then '' else municipality_code end as municipality_code, specialty_code,
             visits, care_periods, bed_days, cost_eur
      from marts.service_use_yearly
      where year = ${YEAR} and county_org_id = '${org}' and service_type = 'ALL' and not is_suppressed and cost_eur is not null
        and municipality_level in ('municipality', 'county') and (municipality_level = 'municipality' or specialty_code = 'ALL')
      order by municipality_code, specialty_code`);
    const fmt = (v: number | null, f: number, decimals: number, comma: boolean) => {
      if (v === null) return '';
      const s = (Number(v) * f).toFixed(decimals);
      return comma ? s.replace('.', ',') : s;
    };
    const agreement = (version: number, revise: (r: Row) => number, comma: boolean) => {
      const d = comma ? ';' : ',';
      const header = comma
        ? ['Vuosi', 'Järjestäjä', 'Kunta', 'Erikoisala', 'Palvelumuoto', 'Käynnit', 'Hoitojaksot', 'Hoitopäivät', 'Sopimus (€)', 'Versio']
        : ['year', 'organiser', 'municipality_code', 'specialty_code', 'service_type', 'visits', 'care_periods', 'bed_days', 'cost_eur', 'version'];
      const body = lines.map((r) => {
        const f = demoFactor(`${org}|${r.municipality_code}|${r.specialty_code}`) * revise(r);
        return [YEAR, org, r.municipality_code, r.specialty_code, 'kaikki', fmt(r.visits, f, 0, comma), fmt(r.care_periods, f, 0, comma),
          fmt(r.bed_days, f, 0, comma), fmt(r.cost_eur, f, 2, comma), version].join(d);
      });
      return `${header.join(d)}\n${body.join('\n')}\n`;
    };
    if (file === 'kainuu') {
      // Kajaani (205) also orders per specialty group (config/specialty-groups.yaml).
      const groups = loadSpecialtyGroups(fromRoot('config/specialty-groups.yaml'));
      writeFileSync(join(out, 'agreements', `${file}_${YEAR}.csv`), withGroupLines(agreement(1, () => 1, false), '205', groups));
      // The corrected agreement: Kuhmo (290) ordered 10 % more after the spring negotiation.
      writeFileSync(
        join(out, 'agreements', `${file}_${YEAR}_v2.csv`),
        withGroupLines(agreement(2, (r) => (r.municipality_code === '290' ? 1.1 : 1), false), '205', groups),
      );
    } else {
      writeFileSync(join(out, 'agreements', `${file}_${YEAR}.csv`), agreement(1, () => 1, true));
    }
    // Budgets of the service areas: the hospital area's specialist care from the organiser's actual euros.
    const [total] = lines.filter((r) => r.municipality_code === '' && r.specialty_code === 'ALL');
    const specialist = Number(total?.cost_eur ?? 0) * demoFactor(`${org}|budget`, 0.03);
    const groups: [string, string, number][] = [
      [`${area}-sairaala`, 'erikoissairaanhoito', specialist],
      [`${area}-sairaala`, 'henkilöstömenot', specialist * 0.18],
      [`${area}-terveysasemat`, 'henkilöstömenot', specialist * 0.22 * demoFactor(`${area}-ta`)],
      [`${area}-terveysasemat`, 'palvelujen ostot', specialist * 0.05 * demoFactor(`${area}-ta-po`)],
      [`${area}-ikaantyneet`, 'henkilöstömenot', specialist * 0.3 * demoFactor(`${area}-ik`)],
      [`${area}-ikaantyneet`, 'palvelujen ostot', specialist * 0.12 * demoFactor(`${area}-ik-po`)],
    ];
    if (file === 'kainuu') {
      // Monthly phasing given (the controller's own), as a workbook.
      const last = await months(org);
      const sum = last.reduce((a, m) => a + Number(m.cost_eur), 0);
      const wb = new ExcelJS.Workbook();
      wb.created = wb.modified = new Date('2025-01-01T00:00:00Z'); // the same bytes on every run
      const ws = wb.addWorksheet('Talousarvio');
      ws.addRow(['Vuosi', 'Kuukausi', 'Palvelualue', 'Tiliryhmä', 'Euroa', 'Versio']);
      for (const [code, group, euros] of groups) {
        for (let m = 1; m <= 12; m++) {
          const share = sum > 0 && last.length === 12 ? Number(last[m - 1]!.cost_eur) / sum : 1 / 12;
          ws.addRow([YEAR, m, code, group, Math.round(euros * share * 100) / 100, 1]);
        }
      }
      await wb.xlsx.writeFile(join(out, 'budgets', `${file}_${YEAR}.xlsx`));
    } else {
      const body = groups.map(([code, group, euros]) => [YEAR, code, group, euros.toFixed(2), 1].join(','));
      writeFileSync(join(out, 'budgets', `${file}_${YEAR}.csv`), `year,organisation,account_group,euros,version\n${body.join('\n')}\n`);
    }
  }
  conn.closeSync();
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
