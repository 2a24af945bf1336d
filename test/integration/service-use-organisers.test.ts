/**
 * /toteutus per organiser (issue 14): two years of both organisers' demo extracts through every job. Each wellbeing
 * services county has its own totals (never both added together), shares are of the municipality's own organiser,
 * every derived figure of the page is a mart column that agrees with its parts, the monthly rates run to the last
 * month with data (the chart that seemed to stop in early 2024), rates name their population year, and the published
 * cubes with the organisers' totals give the disclosure attacker nothing.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackCube, PROTECTED_CUBES } from '../../pipelines/disclosure/published.js';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const PP = 'pohjois-pohjanmaan-hyvinvointialue';
const KAINUU = 'kainuun-hyvinvointialue';
let tmp: { dir: string; cleanup: () => void };
let db: string;
type Row = Record<string, unknown>;
const q = (sql: string) => withReadOnly(db, (conn) => queryRows<Row>(conn, sql));

beforeAll(async () => {
  tmp = tempDir('tj-organisers-');
  db = join(tmp.dir, 'w.duckdb');
  const drop = join(tmp.dir, 'service-use');
  mkdirSync(drop);
  for (const f of ['kainuu_2023.csv.gz', 'kainuu_2024.csv.gz', 'pohjois-pohjanmaa_2023.csv.gz', 'pohjois-pohjanmaa_2024.csv.gz']) {
    copyFileSync(fromRoot(`data/demo/service-use/${f}`), join(drop, f));
  }
  const base = testConfig(db);
  const summaries = await runJobs(selectJobs('all'), { config: { ...base, serviceUse: { ...base.serviceUse, dropDir: drop } }, log: createLogger(() => undefined) });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`jobs failed: ${JSON.stringify(failed)}`);
}, 300_000);

afterAll(() => tmp?.cleanup());

describe('service use per organiser (wellbeing services county)', () => {
  it('gives each organiser its own monthly and yearly totals, and every municipality one organiser', async () => {
    const counties = await q(`select distinct municipality_code, municipality_name_fi from marts.service_use_yearly
                              where municipality_level = 'county' order by 1`);
    expect(counties).toEqual([
      { municipality_code: KAINUU, municipality_name_fi: 'Kainuun hyvinvointialue yhteensä' },
      { municipality_code: PP, municipality_name_fi: 'Pohjois-Pohjanmaan hyvinvointialue yhteensä' },
    ]);
    const [orphans] = await q(`select count(*) filter (where county_org_id is null) as n,
        count(distinct municipality_code) filter (where county_org_id = '${KAINUU}') as kainuu
      from marts.service_use_summary where municipality_level = 'municipality'`);
    expect(orphans).toEqual({ n: 0n, kainuu: 8n });
    // All specialties and service types: every organiser month and year is shown and is the sum of its municipalities
    // (all shown there on the demo); the two organisers make the district ('ALL', both together, not on the page).
    const sums = await q(`
      with c as (select year, month, municipality_code as county, visits, cost_eur from marts.service_use_summary
                 where municipality_level = 'county' and specialty_code = 'ALL' and service_type = 'ALL'),
           m as (select month, county_org_id as county, sum(visits) as visits, count(*) filter (where is_suppressed) as withheld
                 from marts.service_use_summary where municipality_level = 'municipality' and specialty_code = 'ALL'
                   and service_type = 'ALL' group by all),
           d as (select month, visits from marts.service_use_summary where municipality_level = 'district'
                 and specialty_code = 'ALL' and service_type = 'ALL')
      select count(*) as months, count(c.visits) as shown,
             count(*) filter (where m.withheld = 0 and m.visits <> c.visits) as differ_from_members,
             (select count(*) from d where d.visits <> (select sum(visits) from c where c.month = d.month)) as district_differs
      from c join m using (month, county)`);
    expect(sums).toEqual([{ months: 48n, shown: 48n, differ_from_members: 0n, district_differs: 0n }]);
  });

  it('computes shares against the municipality\'s own organiser, and the page\'s differences and ranks as columns', async () => {
    const shares = await q(`select county_org_id, round(sum(cost_eur_share_of_county), 2) as total, count(*) as n
      from marts.service_use_yearly where municipality_level = 'municipality' and specialty_code = 'ALL' and service_type = 'ALL'
        and year = 2024 group by all order by 1`);
    expect(shares.map((s) => [s.county_org_id, s.total])).toEqual([[KAINUU, 1], [PP, 1]]);
    const [bad] = await q(`select
        count(*) filter (where abs(cost_eur_change - (cost_eur - cost_eur_prev_year)) > 0.01) as change,
        count(*) filter (where visits_change_ytd <> visits - visits_prev_same_months) as ytd,
        count(*) filter (where cost_eur_change is not null and year = 2023) as change_without_prev_year,
        count(*) filter (where municipality_level = 'municipality' and specialty_code = 'ALL' and service_type = 'ALL'
                           and cost_eur_per_resident is not null and cost_eur_per_resident_rank is null) as unranked
      from marts.service_use_yearly`);
    expect(bad).toEqual({ change: 0n, ytd: 0n, change_without_prev_year: 0n, unranked: 0n });
    const ranks = await q(`select municipality_name_fi, cost_eur_per_resident, cost_eur_per_resident_rank from marts.service_use_yearly
      where municipality_level = 'municipality' and county_org_id = '${KAINUU}' and specialty_code = 'ALL' and service_type = 'ALL'
        and year = 2024 order by cost_eur_per_resident desc`);
    expect(ranks.map((r) => Number(r.cost_eur_per_resident_rank))).toEqual(ranks.map((_, i) => i + 1));
    const [top] = await q(`select count(*) as n, min(cost_eur_change_rank) as first from marts.service_use_yearly
      where municipality_level = 'municipality' and county_org_id = '${PP}' and specialty_code <> 'ALL' and service_type = 'ALL'
        and year = 2024 and cost_eur_change_rank <= 15`);
    expect(Number(top?.n)).toBeGreaterThanOrEqual(15);
    expect(top?.first).toBe(1n);
  });

  it('has a rate per 1 000 residents for every month with visits, to the last month (the chart runs to the end), and names its population year', async () => {
    const [rates] = await q(`select count(*) filter (where visits is not null) as with_visits,
        count(*) filter (where visits is not null and visits_per_1000 is not null) as with_rate,
        max(month) filter (where visits_per_1000 is not null) as last_rate, max(month) as last_month,
        count(*) filter (where population_year is null) as no_population_year
      from marts.service_use_summary where municipality_level in ('county', 'municipality') and specialty_code = 'ALL' and service_type = 'ALL'`);
    expect(rates?.with_rate).toBe(rates?.with_visits);
    expect(rates?.last_rate).toEqual(rates?.last_month);
    expect(rates?.no_population_year).toBe(0n);
    const texts = await q(`select distinct year, population_fi from marts.service_use_yearly where municipality_level = 'county' order by 1`);
    // The population source records up to 2022: both years divide by it and say so.
    expect(texts).toEqual([
      { year: 2023, population_fi: 'väestö 31.12.2022 (uusin julkaistu)' },
      { year: 2024, population_fi: 'väestö 31.12.2022 (uusin julkaistu)' },
    ]);
  });

  it('publishes nothing from which the attacker recovers a withheld cell, with the organisers\' totals in the cubes', async () => {
    const [withheld] = await q(`select count(*) filter (where is_suppressed) as n from marts.service_use_summary where municipality_level = 'county'`);
    expect(Number(withheld?.n)).toBeGreaterThan(0); // organiser cells are protected like any other
    for (const mart of ['service_use_summary', 'service_use_yearly']) {
      const leaks = await withReadOnly(db, (conn) => attackCube(conn, PROTECTED_CUBES.find((c) => c.mart === mart)!));
      // Nothing: euro amounts bounded within ±1 % refuse a publish too (docs/disclosure.md).
      expect(leaks, mart).toEqual([]);
    }
  }, 300_000);
});
