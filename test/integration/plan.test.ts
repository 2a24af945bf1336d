/**
 * Plans against actuals (issue 19) on a small hand-made warehouse: fixture published service use (2024 whole, 2025 to
 * March), agreement files (version 1, then the corrected version 2 that replaces it, then an outdated version 1 that
 * is refused), a budget, bad files. Every expected figure is computed by hand in the comments.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../pipelines/csv.js';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { createLogger } from '../../pipelines/log.js';
import { importPlanFiles, type PlanSource } from '../../pipelines/plan/import.js';
import { buildPlanMarts } from '../../pipelines/plan/marts.js';
import { planFixture, writePublishedServiceUse } from '../helpers/plan-fixture.js';
import { testConfig } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
const K = 'kainuun-hyvinvointialue';
let fx: ReturnType<typeof planFixture>;
const q = (sql: string) => fx.q(sql);
const file = (name: string, text: string) => fx.file(name, text);
const importPlans = (source: PlanSource, files: string[], quarantine = true) =>
  fx.run(async (conn) => {
    const r = await importPlanFiles({ conn, runId: 'test', config: testConfig(fx.db), log }, source, files, { quarantine });
    await buildPlanMarts(conn);
    return r;
  });

// Published monthly euros (marts.service_use_summary, service type 'ALL'): key → [2024 Jan..Dec], [2025 Jan..Mar].
// 205/10 February 2025 is withheld, and so is its 2025 year (the disclosure step withholds them together).
const MONTHS: [string, string, (number | null)[], (number | null)[]][] = [
  [K, 'ALL', [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 200, 200], [110, 120, 90]],
  ['205', '10', Array(12).fill(40), [60, null, 45]],
  ['290', '10', [], [30, 30, 33]],
];
const YEARLY_2025: [string, string, number | null][] = [[K, 'ALL', 320], ['205', '10', null], ['290', '10', 93]];

beforeAll(async () => {
  fx = planFixture('tj-plan-');
  await fx.run(async (conn) => {
    await organisationJob.run({ conn, config: testConfig(fx.db), log, runId: 'org' });
    await conn.run(`create table staging.stg_statfi__municipality_years as
      select * from (values (2025, '205', 'Kajaani'), (2025, '290', 'Kuhmo')) t(year, municipality_code, name_fi)`);
    await writePublishedServiceUse(conn, K, 2025, MONTHS, YEARLY_2025);
  });
}, 120_000);
afterAll(() => fx?.cleanup());

describe('plan against actual (hand-computed fixture)', () => {
  it('version 1: a whole-year agreement phased by last year seasonality; deviation to date', async () => {
    // 1540 € phased by 2024's shares (100/1400 for Jan-Oct, 200/1400 for Nov-Dec): 110 a month, 220 in Nov-Dec.
    const v1 = file('kainuu_2025.csv', `year;organiser;municipality_code;specialty_code;service_type;cost_eur;version\n2025;${K};;ALL;kaikki;1 540,00;1\n`);
    expect(await importPlans('agreements', [v1])).toMatchObject({ rowsRead: 1, rowsLoaded: 1, rowsRejected: 0 });
    const [f] = await q(`select agreement_version, plan_year, plan_ytd, actual_ytd, deviation_ytd, deviation_ytd_pct from marts.plan_forecast
                         where municipality_code = '${K}' and measure = 'cost_eur'`);
    // To date (Jan-Mar): plan 330, actual 110 + 120 + 90 = 320, deviation -10 = -3.0 %.
    expect(f).toEqual({ agreement_version: 1, plan_year: 1540, plan_ytd: 330, actual_ytd: 320, deviation_ytd: -10, deviation_ytd_pct: -3 });
  });

  it('the corrected version 2 replaces the whole organiser-year; deviation and forecast by hand', async () => {
    const v2 = file(
      'kainuu_2025_v2.csv',
      [
        'Vuosi,Järjestäjä,Kunta,Erikoisala,Palvelumuoto,Sopimus (€),Versio,Kuukausi',
        `2025,${K},,ALL,kaikki,1400,2,`,
        `2025,${K},290,10,kaikki,420,2,`,
        ...Array.from({ length: 12 }, (_, i) => `2025,${K},205,10,kaikki,50,2,${i + 1}`),
      ].join('\n'),
    );
    expect(await importPlans('agreements', [v2])).toMatchObject({ rowsRead: 14, rowsLoaded: 14, rowsRejected: 0 });
    const [loads] = await q(`select count(*) as n from staging.stg_plan__agreements where version = 1`);
    expect(loads).toEqual({ n: 0n });

    const monthly = await q(`select month_no, plan, actual, deviation, deviation_pct, plan_ytd, actual_ytd, deviation_ytd, deviation_ytd_pct
                             from marts.plan_vs_actual_monthly where municipality_code = '${K}' and measure = 'cost_eur' and month_no <= 3 order by month_no`);
    // 1400 € by 2024's shares: 100 a month (Jan-Oct). Jan 110 (+10, +10 %), Feb 120 (+20, +20 %), Mar 90 (-10, -10 %).
    expect(monthly).toEqual([
      { month_no: 1, plan: 100, actual: 110, deviation: 10, deviation_pct: 10, plan_ytd: 100, actual_ytd: 110, deviation_ytd: 10, deviation_ytd_pct: 10 },
      { month_no: 2, plan: 100, actual: 120, deviation: 20, deviation_pct: 20, plan_ytd: 200, actual_ytd: 230, deviation_ytd: 30, deviation_ytd_pct: 15 },
      { month_no: 3, plan: 100, actual: 90, deviation: -10, deviation_pct: -10, plan_ytd: 300, actual_ytd: 320, deviation_ytd: 20, deviation_ytd_pct: 6.7 },
    ]);

    const forecast = await q(`select municipality_code, agreement_version, method, months_with_data, plan_year, actual_ytd, forecast, forecast_low,
                                     forecast_high, forecast_vs_plan_pct, status_fi, is_withheld
                              from marts.plan_forecast where measure = 'cost_eur' order by municipality_code`);
    expect(forecast).toEqual([
      // 205/10: a withheld month to date: nothing that would reveal it (plan only).
      { municipality_code: '205', agreement_version: 2, method: 'seasonal', months_with_data: 3, plan_year: 600, actual_ytd: null, forecast: null,
        forecast_low: null, forecast_high: null, forecast_vs_plan_pct: null, status_fi: null, is_withheld: true },
      // 290/10: no 2024 → flat. Rate 93 / 3 = 31 a month: 93 + 9 × 31 = 372; band 93 + 9 × 30 = 363 … 93 + 9 × 33 = 390,
      // wholly under the 420 ordered → "alittaa". 372 / 420 = 88.6 %.
      { municipality_code: '290', agreement_version: 2, method: 'flat', months_with_data: 3, plan_year: 420, actual_ytd: 93, forecast: 372,
        forecast_low: 363, forecast_high: 390, forecast_vs_plan_pct: 88.6, status_fi: 'arvio alittaa sopimuksen', is_withheld: false },
      // Organiser: seasonal, run rate 320 / 300; 320 + 1100 × 320/300 = 1493.33; band by the monthly rates 0.9 … 1.2:
      // 320 + 990 = 1310 … 320 + 1320 = 1640, which holds the 1400 ordered → no clear deviation. 1493.33 / 1400 = 106.7 %.
      { municipality_code: K, agreement_version: 2, method: 'seasonal', months_with_data: 3, plan_year: 1400, actual_ytd: 320, forecast: 1493.33,
        forecast_low: 1310, forecast_high: 1640, forecast_vs_plan_pct: 106.7, status_fi: 'ei selvää poikkeamaa', is_withheld: false },
    ]);

    // 205/10 per month: January is published; February is withheld, and with it every year-to-date figure from then on.
    const withheld = await q(`select month_no, actual, deviation, actual_ytd, deviation_ytd, is_withheld, is_ytd_withheld from marts.plan_vs_actual_monthly
                              where municipality_code = '205' and month_no <= 4 order by month_no`);
    expect(withheld).toEqual([
      { month_no: 1, actual: 60, deviation: 10, actual_ytd: 60, deviation_ytd: 10, is_withheld: false, is_ytd_withheld: false },
      { month_no: 2, actual: null, deviation: null, actual_ytd: null, deviation_ytd: null, is_withheld: true, is_ytd_withheld: true },
      { month_no: 3, actual: 45, deviation: -5, actual_ytd: null, deviation_ytd: null, is_withheld: false, is_ytd_withheld: true },
      { month_no: 4, actual: null, deviation: null, actual_ytd: null, deviation_ytd: null, is_withheld: false, is_ytd_withheld: false },
    ]);
  });

  it('refuses an outdated version and bad lines with file, line, column and reason, never the content', async () => {
    const bad = file(
      'kainuu_bad.csv',
      [
        'year,organiser,municipality_code,specialty_code,service_type,visits,cost_eur,version',
        `2025,${K},,ALL,,,999,1`, // line 2: older than the loaded version 2
        `20x5,${K},205,10,,,5,3`, // line 3: year
        `2026,ei-tunnettu,205,10,,,5,3`, // line 4: organiser
        `2026,${K},999,10,,,5,3`, // line 5: municipality
        `2026,${K},205,XX,,,5,3`, // line 6: specialty
        `2026,${K},205,10,lentokone,,5,3`, // line 7: service type
        `2026,${K},205,10,,-4,5,3`, // line 8: visits
        `2026,${K},205,10,,,,3`, // line 9: no amount
        `2026,${K},205,10,,,5,3`, // line 10: good
        `2026,${K},205,10,,,6,3`, // line 11: duplicate of line 10
      ].join('\n'),
    );
    expect(await importPlans('agreements', [bad])).toMatchObject({ rowsRead: 10, rowsLoaded: 1, rowsRejected: 9 });
    const rejects = await q(`select line, column_name, reason, raw_value from ops.rejected_rows where source_file = '${bad}' order by line`);
    expect(rejects.map((r) => `${r.line} ${r.column_name}: ${r.reason}`)).toEqual([
      '2 version: version 1 is older than the loaded version 2 of this organiser and year',
      '3 year: not a year 2000-2100',
      '4 organiser: not a wellbeing services county of the organisation model',
      '5 municipality_code: not a Statistics Finland municipality code nor an area of the organisation model',
      '6 specialty_code: not a code of the specialty list, a specialty group or ALL',
      '7 service_type: unknown service type',
      '8 visits: not a whole number ≥ 0',
      '9 cost_eur: no ordered amount (visits, care periods, bed days or euros)',
      '11 municipality_code: duplicate of line 10 (same year, month, municipality, specialty and service type)',
    ]);
    expect(rejects.every((r) => r.raw_value === null)).toBe(true);
    // Version 2 of 2025 stands.
    const [plan] = await q(`select plan_year from marts.plan_forecast where municipality_code = '${K}' and year = 2025 and measure = 'cost_eur'`);
    expect(plan).toEqual({ plan_year: 1400 });
  });

  it('a file without a required column fails the import with a clear error; the previous state stays', async () => {
    const before = await q(`select * from marts.plan_forecast order by all`);
    const broken = file('kainuu_2025_v3.csv', `year,organiser,cost_eur\n2025,${K},1\n`);
    const err = await importPlans('agreements', [broken], false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputFileError);
    expect((err as Error).message).toBe(`${broken}, line 1, field "version": missing column(s) version (docs/plan.md)`);
    expect(await q(`select * from marts.plan_forecast order by all`)).toEqual(before);
    // The same file in the drop folder is quarantined: one reject, the run goes on.
    const r = await importPlans('agreements', [broken]);
    expect(r).toMatchObject({ rowsRejected: 1, quarantined: [(err as Error).message] });
  });

  it('the same file again is skipped (idempotent)', async () => {
    const again = file('kainuu_2025_v2_copy.csv', '');
    writeFileSync(again, readFileSync(join(fx.dir, 'kainuu_2025_v2.csv')));
    expect((await importPlans('agreements', [again])).files[0]?.status).toBe('unchanged');
  });

  it('a budget phased by seasonality against the organiser euros: to date, forecast and % of budget', async () => {
    // A Finnish Windows export: Windows-1252 (ä is one byte), read through the service-use file inspection.
    const budget = join(fx.dir, 'budjetti.csv');
    writeFileSync(budget, Buffer.from(`Vuosi,Palvelualue,Tiliryhmä,Euroa\n2025,kai-sairaala,Erikoissairaanhoito,1500\n2025,kai-sairaala,henkilöstömenot,900\n`, 'latin1'));
    expect(await importPlans('budgets', [budget])).toMatchObject({ rowsLoaded: 2, rowsRejected: 0 });
    const rows = await q(`select account_group, phasing, budget_year, budget_ytd, actual_ytd, forecast, forecast_vs_budget_pct, status_fi
                          from marts.budget_vs_actual order by account_group`);
    expect(rows).toEqual([
      // 1500 × 300/1400 = 321.43 to date; forecast 1493.33 = 99.6 % of 1500; band 1310 … 1640 holds it.
      { account_group: 'erikoissairaanhoito', phasing: 'seasonal', budget_year: 1500, budget_ytd: 321.43, actual_ytd: 320, forecast: 1493.33,
        forecast_vs_budget_pct: 99.6, status_fi: 'ei selvää poikkeamaa' },
      { account_group: 'henkilöstömenot', phasing: 'seasonal', budget_year: 900, budget_ytd: null, actual_ytd: null, forecast: null,
        forecast_vs_budget_pct: null, status_fi: null },
    ]);
  });

  it('a hospital export (Windows-1252, ";", decimal comma) corrects the agreement to version 3; an .xlsx line is rejected by its worksheet row', async () => {
    // Version 3 of Kainuu 2025: only the whole-area line; it replaces every line of version 2 (205/10, 290/10 too).
    const v3 = join(fx.dir, 'kainuu_2025_v3_vienti.csv');
    // Windows-1252: ä is 0xE4 and € is 0x80 (Node's latin1 has no €: written as ¤ and swapped for the byte).
    const bytes = Buffer.from('Vuosi;Järjestäjä;Kunta;Erikoisala;Palvelumuoto;Sopimus (¤);Versio\r\n2025;' + K + ';;ALL;kaikki;1 500,00;3\r\n', 'latin1');
    writeFileSync(v3, bytes.map((b) => (b === 0xa4 ? 0x80 : b)));
    expect(await importPlans('agreements', [v3])).toMatchObject({ rowsRead: 1, rowsLoaded: 1, rowsRejected: 0, quarantined: [] });
    const plans = await q(`select municipality_code, agreement_version, plan_year, forecast, status_fi from marts.plan_forecast
                           where year = 2025 and measure = 'cost_eur' order by municipality_code`);
    // 1500 against the same forecast 1493.33 (band 1310 … 1640): still no clear deviation.
    expect(plans).toEqual([{ municipality_code: K, agreement_version: 3, plan_year: 1500, forecast: 1493.33, status_fi: 'ei selvää poikkeamaa' }]);
    const [load] = await q(`select periods, rows_replaced from ops.plan_loads where source_file = '${v3}'`);
    expect(load).toEqual({ periods: `${K} 2025 v3`, rows_replaced: 14n });

    // A workbook for 2026 (version 4: the bad file above loaded a version 3 line of 2026): worksheet row 3 orders -5 visits.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Tilaus');
    ws.addRow(['Vuosi', 'Järjestäjä', 'Kunta', 'Erikoisala', 'Käynnit', 'Versio']);
    ws.addRow([2026, K, '205', '10', 100, 4]);
    ws.addRow([2026, K, '290', '10', -5, 4]);
    const xlsx = join(fx.dir, 'kainuu_2026.xlsx');
    await wb.xlsx.writeFile(xlsx);
    expect(await importPlans('agreements', [xlsx])).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsRejected: 1 });
    const rejects = await q(`select line, column_name, reason, raw_value from ops.rejected_rows where source_file = '${xlsx}'`);
    expect(rejects).toEqual([{ line: 3n, column_name: 'visits', reason: 'not a whole number ≥ 0', raw_value: null }]);
  });
});
