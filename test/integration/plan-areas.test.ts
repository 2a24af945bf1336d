/**
 * Agreements by area of the organisation model and by specialty group (issue 19 leftovers) on a small hand-made
 * warehouse: Lakeus (a 2011 collaboration area, valid to 2022) resolves to its member municipalities of the year, a
 * group (config/specialty-groups.yaml) to its member specialties; their actual is the sum of the members' published
 * cells, NULL when one of them is withheld. Every expected figure is computed by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { createLogger } from '../../pipelines/log.js';
import { importPlanFiles } from '../../pipelines/plan/import.js';
import { buildPlanMarts } from '../../pipelines/plan/marts.js';
import { loadSpecialtyGroups } from '../../pipelines/plan/specialty-groups.js';
import { planFixture, writePublishedServiceUse } from '../helpers/plan-fixture.js';
import { testConfig } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
const P = 'pohjois-pohjanmaan-hyvinvointialue';
let fx: ReturnType<typeof planFixture>;
const q = (sql: string) => fx.q(sql);
const file = (name: string, text: string) => fx.file(name, text);

// Published monthly euros (service type 'ALL'): municipality, specialty → [2021 Jan..Dec], [2022 Jan..Mar]; null = withheld.
// The fixture's Lakeus has two members in 2021-2022 (Kempele 244, Hailuoto 072); Oulu 564 is not one of them.
const MONTHS: [string, string, (number | null)[], (number | null)[]][] = [
  [P, 'ALL', Array(12).fill(100), [100, 100, 100]],
  ['244', '20', Array(12).fill(50), [60, 70, 50]],
  ['072', '20', Array(12).fill(10), [10, null, 20]],
  ['244', '30', [], [30, 30, 30]],
  ['072', '30', [], [5, 5, 5]],
  ['244', '10', [], [1000, 1000, 1000]],
  ['564', '20', [], [999, 999, 999]],
];
// The published 2022 year to date (January-March); 072/20 is withheld with its February.
const YEARLY_2022: [string, string, number | null][] = [
  [P, 'ALL', 300], ['244', '20', 180], ['072', '20', null], ['244', '30', 90], ['072', '30', 15], ['244', '10', 3000], ['564', '20', 2997],
];

beforeAll(async () => {
  fx = planFixture('tj-plan-areas-');
  await fx.run(async (conn) => {
    await organisationJob.run({ conn, config: testConfig(fx.db), log, runId: 'org' });
    await conn.run(`create table staging.stg_statfi__municipality_years as
      select * from (values (2022, '244', 'Kempele'), (2022, '072', 'Hailuoto'), (2022, '564', 'Oulu')) t(year, municipality_code, name_fi)`);
    await conn.run(`create schema if not exists intermediate`);
    await conn.run(`create table intermediate.int_scorecard__area_members as
      select * from (values ('lakeus', 2021, '244', 1), ('lakeus', 2021, '072', 1), ('lakeus', 2022, '244', 1), ('lakeus', 2022, '072', 1))
      t(org_id, year, municipality_code, depth)`);
    await writePublishedServiceUse(conn, P, 2022, MONTHS, YEARLY_2022);
  });
}, 120_000);
afterAll(() => fx?.cleanup());

describe('agreements by area and specialty group (hand-computed fixture)', () => {
  it('the shipped specialty groups are valid and disjoint where the issue names them', () => {
    const groups = loadSpecialtyGroups(testConfig(fx.db).plan.specialtyGroups);
    const op = groups.find((g) => g.code === 'operatiiviset')!;
    const kons = groups.find((g) => g.code === 'konservatiiviset')!;
    expect(op.specialties).toContain('20');
    expect(kons.specialties).toContain('10');
    expect(op.specialties.filter((s) => kons.specialties.includes(s))).toEqual([]);
  });

  it('an area line sums its members of the year; a group line its member specialties; names and levels from the config', async () => {
    const agreements = file(
      'pp_2022.csv',
      [
        'Vuosi;Järjestäjä;Kunta;Erikoisala;Sopimus (€);Versio',
        `2022;${P};lakeus;20;720;1`, // line 2: area × specialty
        `2022;${P};244;operatiiviset;1 200;1`, // line 3: municipality × group
        `2022;${P};Lakeus;Konservatiiviset erikoisalat;6000;1`, // line 4: area × group, by the group's name
        `2022;${P};;ALL;1200;1`, // line 5: the organiser's whole area
        `2023;${P};lakeus;20;720;1`, // line 6: Lakeus ended in 2022
        `2022;${P};244;kirurgiset;100;1`, // line 7: no such group
      ].join('\n'),
    );
    const r = await fx.run(async (conn) => {
      const res = await importPlanFiles({ conn, runId: 'test', config: testConfig(fx.db), log }, 'agreements', [agreements], { quarantine: true });
      await buildPlanMarts(conn);
      return res;
    });
    expect(r).toMatchObject({ rowsRead: 6, rowsLoaded: 4, rowsRejected: 2 });
    const rejects = await q(`select line, column_name, reason, raw_value from ops.rejected_rows where source_file = '${agreements}' order by line`);
    expect(rejects.map((x) => `${x.line} ${x.column_name}: ${x.reason}`)).toEqual([
      "6 municipality_code: an area of the organisation model that is not valid in the line's year",
      '7 specialty_code: not a code of the specialty list, a specialty group or ALL',
    ]);
    expect(rejects.every((x) => x.raw_value === null)).toBe(true);

    const forecast = await q(`select municipality_code, municipality_level, municipality_name_fi, specialty_code, specialty_level, specialty_name_fi,
                                     method, plan_year, plan_ytd, actual_ytd, deviation_ytd, deviation_ytd_pct, forecast, forecast_low, forecast_high,
                                     forecast_vs_plan_pct, status_fi, is_withheld
                              from marts.plan_forecast where measure = 'cost_eur' and municipality_code <> '${P}' order by municipality_code, specialty_code`);
    expect(forecast).toEqual([
      // 244 × operatiiviset = 244/20 + 244/30 (+ the other operative specialties, without use): Jan 90, Feb 100, Mar 80,
      // the published year 180 + 90 = 270. 2021: 244/20 only, 50 every month → seasonal base 50. Run rate 270 / 150 = 1.8:
      // 270 + 9 × 50 × 1.8 = 1080; monthly rates 1.8, 2.0, 1.6 → band 270 + 450 × 1.6 = 990 … 270 + 450 × 2 = 1170, wholly
      // under the 1200 ordered → "alittaa". Plan 1200 / 12 (flat organiser season) = 100 a month: to date 300, -30 = -10 %.
      { municipality_code: '244', municipality_level: 'municipality', municipality_name_fi: '244', // the fixture names municipalities by code
        specialty_code: 'operatiiviset',
        specialty_level: 'group', specialty_name_fi: 'Operatiiviset erikoisalat', method: 'seasonal', plan_year: 1200, plan_ytd: 300,
        actual_ytd: 270, deviation_ytd: -30, deviation_ytd_pct: -10, forecast: 1080, forecast_low: 990, forecast_high: 1170,
        forecast_vs_plan_pct: 90, status_fi: 'arvio alittaa sopimuksen', is_withheld: false },
      // Lakeus × 20 = 244/20 + 072/20: Hailuoto's February and its year are withheld → nothing that would reveal them.
      { municipality_code: 'lakeus', municipality_level: 'area', municipality_name_fi: 'Lakeus', specialty_code: '20', specialty_level: 'specialty',
        specialty_name_fi: '20', method: 'seasonal', plan_year: 720, plan_ytd: 180, actual_ytd: null, deviation_ytd: null,
        deviation_ytd_pct: null, forecast: null, forecast_low: null, forecast_high: null, forecast_vs_plan_pct: null, status_fi: null,
        is_withheld: true },
      // Lakeus × konservatiiviset = 244/10 (Hailuoto has no conservative use; Oulu is not a member): 1000 a month, no 2021
      // → flat: 3000 + 9 × 1000 = 12000, band 12000 … 12000 over the 6000 ordered → "ylittää"; 200 %.
      { municipality_code: 'lakeus', municipality_level: 'area', municipality_name_fi: 'Lakeus', specialty_code: 'konservatiiviset',
        specialty_level: 'group', specialty_name_fi: 'Konservatiiviset erikoisalat', method: 'flat', plan_year: 6000, plan_ytd: 1500,
        actual_ytd: 3000, deviation_ytd: 1500, deviation_ytd_pct: 100, forecast: 12000, forecast_low: 12000, forecast_high: 12000,
        forecast_vs_plan_pct: 200, status_fi: 'arvio ylittää sopimuksen', is_withheld: false },
    ]);

    // Per month, Lakeus × 20: January 60 + 10 = 70 against 60 (+10, +16.7 %); February withheld (Hailuoto's), and with it
    // every year to date from then on; March 50 + 20 = 70 is published as a month.
    const monthly = await q(`select month_no, plan, actual, deviation, deviation_pct, actual_ytd, is_withheld, is_ytd_withheld
                             from marts.plan_vs_actual_monthly where municipality_code = 'lakeus' and specialty_code = '20'
                               and measure = 'cost_eur' and month_no <= 3 order by month_no`);
    expect(monthly).toEqual([
      { month_no: 1, plan: 60, actual: 70, deviation: 10, deviation_pct: 16.7, actual_ytd: 70, is_withheld: false, is_ytd_withheld: false },
      { month_no: 2, plan: 60, actual: null, deviation: null, deviation_pct: null, actual_ytd: null, is_withheld: true, is_ytd_withheld: true },
      { month_no: 3, plan: 60, actual: 70, deviation: 10, deviation_pct: 16.7, actual_ytd: null, is_withheld: false, is_ytd_withheld: true },
    ]);
    // The ranking by euro impact takes areas and groups: |1500| (Lakeus × konservatiiviset), |-30| (244 × operatiiviset),
    // then the withheld Lakeus × 20.
    const ranks = await q(`select municipality_code, specialty_code, deviation_rank from marts.plan_forecast
                           where measure = 'cost_eur' and deviation_rank is not null order by deviation_rank`);
    expect(ranks.map((x) => `${x.deviation_rank} ${x.municipality_code} ${x.specialty_code}`)).toEqual([
      '1 lakeus konservatiiviset', '2 244 operatiiviset', '3 lakeus 20',
    ]);
  });

  it('a specialty group file naming an unknown specialty fails the import with the file and group named', async () => {
    const groups = file('groups.yaml', 'groups:\n  - { code: omat, name_fi: Omat, specialties: ["20", "XX"] }\n');
    const agreements = file('pp_2022_b.csv', `year,organiser,cost_eur,version\n2022,${P},1,2\n`);
    const config = { ...testConfig(fx.db), plan: { ...testConfig(fx.db).plan, specialtyGroups: groups } };
    const err = await fx.run((conn) => importPlanFiles({ conn, runId: 'test', config, log }, 'agreements', [agreements])).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`invalid specialty group file ${groups}: group omat: "XX" is not a code of the specialty list (config/specialties.csv)`);
    // Nothing changed: the version 1 agreements stand.
    const [v] = await q(`select max(version) as v from staging.stg_plan__agreements`);
    expect(v).toEqual({ v: 1 });
  });
});
