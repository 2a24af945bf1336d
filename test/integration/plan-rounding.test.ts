/**
 * Plan percentages on an exact half (issue 15): 399 against a plan of 400 is -0.25 %, published as -0.3 (half away
 * from zero, as every mart rounds) in every run. The plan is 1600 € phased flat into thirds of cents (133.333… € a
 * month), so its year to date as a sum of doubles is 399.99999999999994, not 400 (and -0.2 % was published); the
 * marts sum it exactly and divide exactly (pipelines/sql/macros/percent.sql).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { createLogger } from '../../pipelines/log.js';
import { importPlanFiles } from '../../pipelines/plan/import.js';
import { buildPlanMarts } from '../../pipelines/plan/marts.js';
import { planFixture, writePublishedServiceUse } from '../helpers/plan-fixture.js';
import { testConfig } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
const K = 'kainuun-hyvinvointialue';
let fx: ReturnType<typeof planFixture>;

beforeAll(async () => {
  fx = planFixture('tj-plan-rounding-');
  await fx.run(async (conn) => {
    await organisationJob.run({ conn, config: testConfig(fx.db), log, runId: 'org' });
    await conn.run(`create table staging.stg_statfi__municipality_years as select 2025 as year, '205' as municipality_code, 'Kajaani' as name_fi`);
    // 2024 flat (the seasonality: a twelfth a month); 2025 January to March 133 € each, 399 € to date.
    await writePublishedServiceUse(conn, K, 2025, [[K, 'ALL', Array(12).fill(100), [133, 133, 133]]], [[K, 'ALL', 399]]);
    const agreement = fx.file('kainuu_2025.csv', `year;organiser;municipality_code;specialty_code;service_type;cost_eur;version\n2025;${K};;ALL;kaikki;1600;1\n`);
    await importPlanFiles({ conn, runId: 'test', config: testConfig(fx.db), log }, 'agreements', [agreement], { quarantine: true });
    await buildPlanMarts(conn);
  });
}, 120_000);
afterAll(() => fx?.cleanup());

describe('plan percentages on an exact half', () => {
  it('399 against 400 to date is published as -0.3 %, and 1596 against 1600 for the year as 99.8 %', async () => {
    const rows = await fx.q(`select plan_ytd, actual_ytd, deviation_ytd, deviation_ytd_pct, plan_year, forecast, forecast_vs_plan_pct
                             from marts.plan_forecast where municipality_code = '${K}' and measure = 'cost_eur'`);
    // Forecast: 399 + 9 × 100 × 399 / 300 = 1596; 1596 / 1600 = 99.75 %.
    expect(rows).toEqual([
      { plan_ytd: 400, actual_ytd: 399, deviation_ytd: -1, deviation_ytd_pct: -0.3, plan_year: 1600, forecast: 1596, forecast_vs_plan_pct: 99.8 },
    ]);
  });

  it('the monthly mart publishes the same: 133 against 133.33 in January and 399 against 400 in March', async () => {
    const rows = await fx.q(`select month_no, plan, deviation_pct, plan_ytd, deviation_ytd_pct from marts.plan_vs_actual_monthly
                             where municipality_code = '${K}' and measure = 'cost_eur' and month_no in (1, 3) order by month_no`);
    // January: -1/3 of 133 1/3 = -0.25 %, but to the millionth -0.333333 / 133.333333 is just under → -0.2.
    expect(rows).toEqual([
      { month_no: 1, plan: 133.33, deviation_pct: -0.2, plan_ytd: 133.33, deviation_ytd_pct: -0.2 },
      { month_no: 3, plan: 133.33, deviation_pct: -0.2, plan_ytd: 400, deviation_ytd_pct: -0.3 },
    ]);
  });
});
