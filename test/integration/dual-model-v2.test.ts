/**
 * The dual model v2 and the national comparison (docs/dual-model.md) on a real DuckDB file with a hand-computed
 * fixture: peers = all counties (Ahvenanmaa excluded) or all municipalities, need adjustment (cost ÷ need / 100 with
 * the latest need value, not for a component marked need_adjusted: false), level against the peer mean and change
 * over change_years against Finland's change. The SQL is the shipped one; only its inputs are fixtures.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, runSqlFile, withWarehouse } from '../../pipelines/warehouse.js';
import { runSqlModels } from '../../pipelines/models/build.js';
import { SCORECARD_CONFIG_FILES } from '../../pipelines/scorecard/load.js';
import { createSotkanetStaging, type RegionValue } from '../helpers/sotkanet-staging.js';
import { tempDir } from '../helpers/tmp.js';

// Sotkanet ids of the fixture indicators: w (welfare, higher is better), k (cost per resident, lower is better,
// need-adjusted), ki (cost index, lower is better, NOT need-adjusted), need (the need index that ends) and need2 (its
// successor, listed after it).
const IDS = { w: 1, k: 2, ki: 3, need: 4, need2: 5 } as const;
const POLARITY = { w: 'higher_is_better', k: 'lower_is_better', ki: 'lower_is_better', need: 'lower_is_better', need2: 'lower_is_better' } as const;
type Ind = keyof typeof IDS;

// [indicator, category, code, year, value]; county 19 = the org pp, county 20 = the org kai, county 1 a third one,
// 91 Ahvenanmaa (not a peer), MAA Finland, KUNTA 001/002 the municipal peers of the sub-area sa.
const REGION: [Ind, string, string, number, number][] = [
  ['w', 'HYVINVOINTIALUE', '19', 2020, 80], ['w', 'HYVINVOINTIALUE', '20', 2020, 90], ['w', 'HYVINVOINTIALUE', '1', 2020, 100],
  ['w', 'HYVINVOINTIALUE', '19', 2022, 80], ['w', 'HYVINVOINTIALUE', '20', 2022, 100], ['w', 'HYVINVOINTIALUE', '1', 2022, 120],
  ['w', 'HYVINVOINTIALUE', '91', 2022, 500], ['w', 'MAA', '358', 2020, 100], ['w', 'MAA', '358', 2022, 105],
  ['k', 'HYVINVOINTIALUE', '19', 2020, 250], ['k', 'HYVINVOINTIALUE', '20', 2020, 160], ['k', 'HYVINVOINTIALUE', '1', 2020, 200],
  ['k', 'HYVINVOINTIALUE', '19', 2022, 275], ['k', 'HYVINVOINTIALUE', '20', 2022, 160], ['k', 'HYVINVOINTIALUE', '1', 2022, 200],
  ['k', 'MAA', '358', 2020, 200], ['k', 'MAA', '358', 2022, 220],
  ['ki', 'HYVINVOINTIALUE', '19', 2020, 100], ['ki', 'HYVINVOINTIALUE', '20', 2020, 100], ['ki', 'HYVINVOINTIALUE', '1', 2020, 100],
  ['ki', 'HYVINVOINTIALUE', '19', 2022, 90], ['ki', 'HYVINVOINTIALUE', '20', 2022, 110], ['ki', 'HYVINVOINTIALUE', '1', 2022, 100],
  ['ki', 'MAA', '358', 2020, 100], ['ki', 'MAA', '358', 2022, 100],
  ['need', 'HYVINVOINTIALUE', '19', 2019, 125], ['need', 'HYVINVOINTIALUE', '20', 2019, 80], ['need', 'HYVINVOINTIALUE', '1', 2019, 100],
  ['need', 'MAA', '358', 2019, 100],
  // 2023: the successor need index; county 1 has both indices for 2023 (the later-listed need2 wins the tie)
  ['w', 'HYVINVOINTIALUE', '19', 2023, 90], ['w', 'HYVINVOINTIALUE', '20', 2023, 100], ['w', 'HYVINVOINTIALUE', '1', 2023, 110],
  ['k', 'HYVINVOINTIALUE', '19', 2023, 231], ['k', 'HYVINVOINTIALUE', '20', 2023, 200], ['k', 'HYVINVOINTIALUE', '1', 2023, 200],
  ['need2', 'HYVINVOINTIALUE', '19', 2023, 110], ['need2', 'HYVINVOINTIALUE', '20', 2023, 100], ['need2', 'HYVINVOINTIALUE', '1', 2023, 100],
  ['need', 'HYVINVOINTIALUE', '1', 2023, 150], ['need2', 'MAA', '358', 2023, 100],
  // pp's and Finland's k two years before 2023 (2021, still adjusted by the ended index): a change across the switch
  ['k', 'HYVINVOINTIALUE', '19', 2021, 231], ['k', 'MAA', '358', 2021, 220], ['k', 'MAA', '358', 2023, 220],
  ['w', 'KUNTA', '001', 2022, 90], ['w', 'KUNTA', '002', 2022, 110],
  ['k', 'KUNTA', '001', 2022, 200], ['k', 'KUNTA', '002', 2022, 300],
  ['ki', 'KUNTA', '001', 2022, 100], ['ki', 'KUNTA', '002', 2022, 100],
  ['need', 'KUNTA', '001', 2019, 100], ['need', 'KUNTA', '002', 2019, 100],
];
// The areas' own scorecard values: the counties are Sotkanet's county values; sa an aggregate of municipalities; the
// municipality m1 is Sotkanet's municipality 001.
const ORG_OF_COUNTY: Record<string, [string, string]> = { '19': ['pp', 'wellbeing_county'], '20': ['kai', 'wellbeing_county'] };
const SA: [Ind, number, number][] = [['w', 2022, 100], ['k', 2022, 250], ['ki', 2022, 100], ['need', 2019, 100]];
const M1 = REGION.filter(([, cat, code]) => cat === 'KUNTA' && code === '001');

interface Dual {
  org_id: string;
  year: number;
  welfare_score: number;
  cost_score: number;
  quadrant: string;
  peer_set: string;
  peer_n: number;
  welfare_change_score: number | null;
  cost_change_score: number | null;
  change_from_year: number;
  change_quadrant: string | null;
  need_index: number | null;
  series_break_fi: string | null;
}
let dual: Dual[] = [];
let national: { indicator_id: string; org_id: string; year: number; finland_value: number | null; county_rank: number | null; county_count: number }[] = [];
let tmp: ReturnType<typeof tempDir> | undefined;

beforeAll(async () => {
  tmp = tempDir('tj-dual2-');
  await withWarehouse(join(tmp.dir, 'd.duckdb'), async (conn) => {
    await runSqlModels(conn, SCORECARD_CONFIG_FILES);
    // only the columns the comparator and dual model marts read
    await conn.run(`create or replace table staging.stg_config__indicators (indicator_id varchar, name_fi varchar, numerator_measure varchar,
      denominator_measure varchar, factor double, period_type varchar, polarity varchar, series_end date, name_sv varchar, name_en varchar)`);
    for (const ind of Object.keys(IDS) as Ind[]) {
      // the cost index's series ends with 2022 (quality.series_end)
      await conn.run(`insert into staging.stg_config__indicators values ($id, $name, $measure, null, 1, 'year', $polarity, $end::date, null, null)`, {
        id: ind,
        name: `${ind} fi`,
        measure: `sotkanet.${IDS[ind]}`,
        polarity: POLARITY[ind],
        end: ind === 'ki' ? '2022-01-01' : null,
      });
    }
    await conn.run(`insert into staging.stg_config__dual_model values ('welfare', 'w', 1, true), ('cost', 'k', 1, true), ('cost', 'ki', 1, false)`);
    await conn.run(`insert into staging.stg_config__dual_model_settings values (['wellbeing_county', 'sub_area', 'municipality'], ['need', 'need2'], 20, 50, 2, 10)`);
    await createSotkanetStaging(conn, REGION.map(([ind, cat, code, year, value]): RegionValue => [IDS[ind], cat, code, year, value]));
    await conn.run(`create or replace table marts.scorecard (indicator_id varchar, org_id varchar, org_type varchar, period_type varchar,
      period_start date, value double, polarity varchar, decimals integer, org_name_fi varchar, is_demo boolean,
      org_name_sv varchar, org_name_en varchar)`);
    const scorecard: [Ind, string, string, number, number][] = [
      ...REGION.filter(([, cat, code]) => cat === 'HYVINVOINTIALUE' && ORG_OF_COUNTY[code]).map(
        ([ind, , code, year, value]): [Ind, string, string, number, number] => [ind, ...(ORG_OF_COUNTY[code] as [string, string]), year, value],
      ),
      ...SA.map(([ind, year, value]): [Ind, string, string, number, number] => [ind, 'sa', 'sub_area', year, value]),
      ...M1.map(([ind, , , year, value]): [Ind, string, string, number, number] => [ind, 'm1', 'municipality', year, value]),
    ];
    for (const [ind, org, type, year, value] of scorecard) {
      await conn.run(`insert into marts.scorecard values ($ind, $org, $type, 'year', make_date($year, 1, 1), $value, $polarity, 1, $org, false, $org, $org)`, {
        ind,
        org,
        type,
        year,
        value,
        polarity: POLARITY[ind],
      });
    }
    await runSqlFile(conn, 'marts/indicator_region_values.sql');
    await runSqlFile(conn, 'marts/national_comparison.sql');
    await runSqlFile(conn, 'marts/dual_model.sql');
    dual = await queryRows<Dual>(
      conn,
      `select org_id, year, welfare_score, cost_score, quadrant, peer_set, peer_n, welfare_change_score, cost_change_score,
              change_from_year, change_quadrant, need_index, series_break_fi from marts.dual_model order by year, org_id`,
    );
    national = await queryRows(conn, `select indicator_id, org_id, year, finland_value, county_rank, county_count from marts.national_comparison order by all`);
  });
}, 60_000);

afterAll(() => tmp?.cleanup());

const row = (org: string, year: number) => {
  const r = dual.find((d) => d.org_id === org && d.year === year);
  if (!r) throw new Error(`no dual model row ${org} ${year}`);
  return r;
};

describe('dual model v2 (hand-computed fixture)', () => {
  it('scores the level against all counties (Ahvenanmaa excluded), need-adjusting only the marked cost components', () => {
    // welfare 2022: county mean (80 + 100 + 120) / 3 = 100 (91's 500 is no peer); pp 80 → 50 + 50 × (−0.2 / 0.2) = 0; kai 100 → 50.
    // k 2022 ÷ need/100 (2019, carried forward): 275/1.25 = 220, 160/0.8 = 200, 200/1 = 200 → mean 206.667;
    //   pp 50 + 50 × (1 − 220/206.667)/0.2 = 33.871; kai 50 + 50 × (1 − 200/206.667)/0.2 = 58.065.
    // ki 2022, not adjusted: mean 100; pp 90 → 75; kai 110 → 25. cost = (33.871 + 75)/2 = 54.4; (58.065 + 25)/2 = 41.5.
    expect(row('pp', 2022)).toMatchObject({ welfare_score: 0, cost_score: 54.4, quadrant: 'terveyserot kasvavat', peer_set: 'county', peer_n: 3 });
    expect(row('kai', 2022)).toMatchObject({ welfare_score: 50, cost_score: 41.5, quadrant: 'epärealistinen', peer_set: 'county', peer_n: 3 });
    // the two local counties do not mirror each other around 50
    expect(row('pp', 2022).welfare_score + row('kai', 2022).welfare_score).not.toBe(100);
    // 2020: welfare mean 90; pp 80 → 50 + 50 × (80/90 − 1)/0.2 = 22.2; every adjusted cost is 200 / the index 100 → 50.
    expect(row('pp', 2020)).toMatchObject({ welfare_score: 22.2, cost_score: 50 });
  });

  it('scores the change over change_years against Finland’s change', () => {
    // welfare: Finland 100 → 105 (+5 %); pp 80 → 80 (0 %): 50 + 50 × (0 − 0.05)/0.10 = 25; kai 90 → 100 (+11.1 %): 80.6.
    // k (adjusted): Finland 200 → 220 (+10 %); pp 200 → 220 (+10 %): 50; kai 200 → 200 (0 %): 50 + 50 × 0.10/0.10 = 100.
    // ki: Finland 100 → 100; pp 100 → 90 (−10 %): 100; kai 100 → 110 (+10 %): 0. cost change: (50 + 100)/2 = 75, (100 + 0)/2 = 50.
    expect(row('pp', 2022)).toMatchObject({ welfare_change_score: 25, cost_change_score: 75, change_from_year: 2020, change_quadrant: 'terveyserot kasvavat' });
    expect(row('kai', 2022)).toMatchObject({ welfare_change_score: 80.6, cost_change_score: 50, change_quadrant: 'tavoite' });
    // no values two years before 2020: no change score, no change quadrant
    expect(row('pp', 2020)).toMatchObject({ welfare_change_score: null, cost_change_score: null, change_quadrant: null });
  });

  it('compares the other organisation types, and each municipality, with all municipalities', () => {
    // w: (90 + 110)/2 = 100 → 50; k: (200 + 300)/2 = 250 with need 100 → 50; ki 100 → 50.
    expect(row('sa', 2022)).toMatchObject({ welfare_score: 50, cost_score: 50, quadrant: 'tavoite', peer_set: 'municipality', peer_n: 2 });
    // m1 = municipality 001: w 90 → 50 + 50 × (90/100 − 1)/0.2 = 25; k 200 → 50 + 50 × (1 − 200/250)/0.2 = 100;
    // ki 100 → 50; cost (100 + 50)/2 = 75.
    expect(row('m1', 2022)).toMatchObject({ welfare_score: 25, cost_score: 75, quadrant: 'terveyserot kasvavat', peer_set: 'municipality', peer_n: 2 });
  });

  it('takes the need index from the successor series once it starts (the later-listed index wins a tie of years)', () => {
    // 2023: k ÷ need2/100: pp 231/1.10 = 210, kai 200/1.00 = 200, county 1 200/1.00 = 200 (need2, not the 150 of the
    // ended index in the same year) → mean 203.333; pp 50 + 50 × (1 − 210/203.333)/0.2 = 41.8, kai 54.1 (no ki in 2023).
    // w 2023: mean 100; pp 90 → 25, kai 100 → 50.
    expect(row('pp', 2023)).toMatchObject({ welfare_score: 25, cost_score: 41.8, need_index: 110, peer_n: 3 });
    expect(row('kai', 2023)).toMatchObject({ welfare_score: 50, cost_score: 54.1, need_index: 100 });
    // before the successor starts, the ended index carries forward
    expect(row('pp', 2022)).toMatchObject({ need_index: 125 });
    // the change 2021 → 2023 crosses the switch (2021 adjusted by need 125, 2023 by need2 110): the unadjusted change
    // counts, pp 231 → 231 (0 %) against Finland 220 → 220 (0 %): 50. (Adjusted it would be 184.8 → 210, +13.6 %: 0.)
    expect(row('pp', 2023)).toMatchObject({ cost_change_score: 50, welfare_change_score: null, change_quadrant: null });
  });

  it('names the components whose series ended before the year (the cost axis goes on without them)', () => {
    expect(row('pp', 2023).series_break_fi).toBe('ki fi (sarja päättyi 2022)');
    expect(row('kai', 2023).series_break_fi).toBe('ki fi (sarja päättyi 2022)');
    expect(row('pp', 2022).series_break_fi).toBeNull();
  });

  it('gives Finland’s value of the same year and the rank among the counties', () => {
    const get = (ind: string, org: string, year: number) => national.find((n) => n.indicator_id === ind && n.org_id === org && n.year === year);
    // w 2022 (higher is better): counties 80, 100, 120 → pp 3rd, kai 2nd of 3; Finland 105.
    expect(get('w', 'pp', 2022)).toMatchObject({ finland_value: 105, county_rank: 3, county_count: 3 });
    expect(get('w', 'kai', 2022)).toMatchObject({ finland_value: 105, county_rank: 2, county_count: 3 });
    // k 2022 (lower is better): 275, 160, 200 → kai 1st; sa's 250 would be 3rd.
    expect(get('k', 'kai', 2022)).toMatchObject({ finland_value: 220, county_rank: 1 });
    expect(get('k', 'sa', 2022)).toMatchObject({ county_rank: 3, county_count: 3 });
  });
});
