/**
 * The scorecard over the demo data (real registry, targets, organisation model, Sotkanet demo mirror, unit data, one
 * year of Kainuu service use to stay fast): every registry indicator produces rows for every organisation and period
 * it claims, or is reported as incomplete in marts.scorecard_completeness; the public contracts hold. One year of
 * Pohjois-Pohjanmaa's extracts too, for Oulunkaari, whose member Simo (Lappi) is in no Pohjois-Pohjanmaa extract.
 */
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { loadRegistry } from '../../pipelines/scorecard/registry.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
let tmp: { dir: string; cleanup: () => void };
let db: string;
const registry = loadRegistry(fromRoot('config/indicators.yaml'));

type Row = Record<string, unknown>;
const q = (sql: string) => withReadOnly(db, (conn) => queryRows<Row>(conn, sql));

beforeAll(async () => {
  tmp = tempDir('tj-scorecard-demo-');
  db = join(tmp.dir, 'w.duckdb');
  const drop = join(tmp.dir, 'service-use');
  mkdirSync(drop);
  copyFileSync(fromRoot('data/demo/service-use/kainuu_2019.csv'), join(drop, 'kainuu_2019.csv'));
  copyFileSync(fromRoot('data/demo/service-use/pohjois-pohjanmaa_2019.csv.gz'), join(drop, 'pohjois-pohjanmaa_2019.csv.gz'));
  const base = testConfig(db);
  const config = { ...base, serviceUse: { ...base.serviceUse, dropDir: drop } };
  const summaries = await runJobs(selectJobs('all'), { config, log });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`jobs failed: ${JSON.stringify(failed)}`);
}, 120_000);

afterAll(() => tmp?.cleanup());

describe('scorecard over the demo data', () => {
  it('has the public contract columns first, in order', async () => {
    const cols = async (table: string) =>
      (await q(`select column_name from duckdb_columns() where schema_name = 'marts' and table_name = '${table}' order by column_index`)).map(
        (r) => r.column_name,
      );
    expect((await cols('scorecard')).slice(0, 17)).toEqual([
      'indicator_id', 'perspective', 'level', 'org_id', 'org_type', 'period_start', 'period_type', 'value', 'target', 'status',
      'change_prev', 'change_yoy', 'trend', 'score_0_100', 'is_suppressed', 'source_updated_at', 'loaded_at',
    ]);
    expect((await cols('perspective_scores')).slice(0, 6)).toEqual(['org_id', 'org_type', 'period_start', 'perspective', 'score_0_100', 'indicators_counted']);
    expect((await cols('dual_model')).slice(0, 5)).toEqual(['org_id', 'year', 'welfare_score', 'cost_score', 'quadrant']);
    const [types] = await q(`select typeof(period_start) as t from marts.scorecard limit 1`);
    expect(types?.t).toBe('DATE');
  });

  it('has one row per indicator × organisation × period, and never a number from withheld inputs', async () => {
    const [dupes] = await q(`select count(*) as n from (select indicator_id, org_id, period_start from marts.scorecard group by all having count(*) > 1)`);
    expect(dupes?.n).toBe(0n);
    const [bad] = await q(`select count(*) filter (where is_suppressed and (value is not null or numerator is not null or status <> 'none')) as leaked,
        count(*) filter (where status not in ('green', 'yellow', 'red', 'none')) as bad_status,
        count(*) filter (where score_0_100 < 0 or score_0_100 > 100) as bad_score,
        count(*) filter (where (status = 'none') <> (score_0_100 is null)) as status_score_mismatch,
        count(*) filter (where is_suppressed) as suppressed
      from marts.scorecard`);
    expect(bad).toMatchObject({ leaked: 0n, bad_status: 0n, bad_score: 0n, status_score_mismatch: 0n });
    expect(Number(bad?.suppressed)).toBeGreaterThan(0); // the demo has withheld feedback and queues
  });

  it('covers every registry indicator for every organisation it claims, or reports it incomplete', async () => {
    const orgs = await q(`select org_id, org_type from intermediate.int_scorecard__orgs`);
    const completeness = await q(`select * from marts.scorecard_completeness`);
    const byKey = new Map(completeness.map((c) => [`${c.indicator_id}|${c.org_id}`, c]));
    const counts = await q(`select indicator_id, org_id, count(*) filter (where is_expected) as expected,
        count(*) filter (where is_expected and is_present) as present from marts.scorecard group by all`);
    const countByKey = new Map(counts.map((c) => [`${c.indicator_id}|${c.org_id}`, c]));
    let claimed = 0;
    for (const ind of registry.indicators) {
      for (const o of orgs.filter((x) => ind.org_types.includes(x.org_type as never))) {
        claimed++;
        const c = byKey.get(`${ind.id}|${o.org_id}`);
        expect(c, `${ind.id} ${o.org_id}`).toBeDefined();
        const n = countByKey.get(`${ind.id}|${o.org_id}`);
        if (c?.is_complete) expect(n?.present ?? 0n, `${ind.id} ${o.org_id}`).toBe(n?.expected ?? 0n);
        else expect(Number(n?.present ?? 0n), `${ind.id} ${o.org_id}`).toBeLessThan(Number(n?.expected ?? 0n));
      }
    }
    expect(claimed).toBeGreaterThan(1000);
    // the demo orgs: both counties, the 2011 areas, municipalities, 6 service areas and 30 units
    const types = Object.fromEntries((await q(`select org_type, count(*) as n from intermediate.int_scorecard__orgs group by 1`)).map((r) => [r.org_type, Number(r.n)]));
    expect(types).toMatchObject({ wellbeing_county: 2, collaboration_area: 5, sub_area: 2, service_area: 6, unit: 30 });
  });

  it('expects each unit month of its validity and flags the demo gaps', async () => {
    const rows = await q(`select org_id, periods_expected, periods_present, is_complete from marts.scorecard_completeness
      where indicator_id = 'unit_sickness_absence_pct' and org_type = 'unit' order by org_id`);
    const by = Object.fromEntries(rows.map((r) => [r.org_id, r]));
    expect(by['kempele-ta']).toMatchObject({ periods_expected: 84n, periods_present: 84n, is_complete: true });
    expect(by['oulu-kaakkuri-ta']).toMatchObject({ periods_expected: 60n, is_complete: true }); // from 2021-01
    expect(by['puolanka-ta']).toMatchObject({ periods_expected: 66n, is_complete: true }); // until 2024-06
    expect(by['kuhmo-ta']).toMatchObject({ periods_expected: 84n, periods_present: 82n, is_complete: false });
    expect(by['haapajarvi-ta']).toMatchObject({ periods_present: 83n, is_complete: false });
    expect(rows.filter((r) => !r.is_complete).map((r) => r.org_id)).toEqual(['haapajarvi-ta', 'kuhmo-ta']);
    // a service area's sum lacks haapajarvi-ta in 2022-11: incomplete, not a partial sum
    const [area] = await q(`select value, is_suppressed from marts.scorecard
      where indicator_id = 'unit_staff_htv' and org_id = 'pph-terveysasemat' and period_start = date '2022-11-01'`);
    expect(area).toEqual({ value: null, is_suppressed: false });
    const [areaC] = await q(`select strftime(first_missing, '%Y-%m') as m, is_complete from marts.scorecard_completeness
      where indicator_id = 'unit_staff_htv' and org_id = 'pph-terveysasemat'`);
    expect(areaC).toEqual({ m: '2022-11', is_complete: false });
  });

  it('computes Sotkanet indicators for the counties, the 2011 areas and municipalities', async () => {
    const rows = await q(`select org_id, count(value) as n from marts.scorecard
      where indicator_id = 'net_costs_per_resident' and org_type in ('wellbeing_county', 'collaboration_area') group by 1 order by 1`);
    const by = Object.fromEntries(rows.map((r) => [r.org_id, Number(r.n)]));
    expect(by['pohjois-pohjanmaan-hyvinvointialue']).toBe(5); // 2018-2022 on the county's boundaries (the series ends 2022)
    expect(by['kainuu']).toBe(5); // 2018-2022, while the collaboration area existed
  });

  it('gives Oulunkaari (Ii, Pudasjärvi, Utajärvi, Vaala, Simo) values, over the members a source covers, with the coverage', async () => {
    const members = await q(`select list(current_code order by current_code) as codes from marts.organisation_members_by_year
      where organisation_code = 'oulunkaari' and year = 2019`);
    expect(members[0]?.codes).toEqual(['139', '615', '751', '785', '889']);
    // Service use: Simo is in no Pohjois-Pohjanmaa extract, so the rate is over the four members that are, and says so.
    const [expected] = await q(`select 1000 * sum(h.visits) / (select sum(value) from marts.scorecard p
          where p.indicator_id = 'population' and p.org_id in ('kunta-139', 'kunta-615', 'kunta-785', 'kunta-889')
            and p.period_start = date '2019-01-01') as rate
      from marts.service_use_harmonised h
      where h.municipality_level = 'municipality' and h.municipality_code in ('139', '615', '785', '889')
        and h.specialty_code = 'ALL' and h.service_type = 'outpatient_visit' and h.year = 2019`);
    const [su] = await q(`select value, members_covered, members_total, coverage_fi from marts.scorecard
      where indicator_id = 'su_outpatient_visits_per_1000_year' and org_id = 'oulunkaari' and period_start = date '2019-01-01'`);
    expect(Number(su?.value)).toBeCloseTo(Number(expected?.rate), 6);
    expect([su?.members_covered, su?.members_total, su?.coverage_fi]).toEqual([4, 5, '4/5 jäsenkuntaa']);
    // Sotkanet reports every municipality, Simo too: the whole area, no coverage note.
    const [sot] = await q(`select value, coverage_fi from marts.scorecard
      where indicator_id = 'net_costs_per_resident' and org_id = 'oulunkaari' and period_start = date '2019-01-01'`);
    expect(sot?.value).not.toBeNull();
    expect(sot?.coverage_fi).toBeNull();
    // Kainuu's service use covers all eight members: no coverage note.
    const [kai] = await q(`select value, coverage_fi from marts.scorecard
      where indicator_id = 'su_outpatient_visits_per_1000_year' and org_id = 'kainuu' and period_start = date '2019-01-01'`);
    expect(kai?.value).not.toBeNull();
    expect(kai?.coverage_fi).toBeNull();
    // A rate per resident says which population it divides by.
    const [den] = await q(`select population_year, denominator_fi from marts.scorecard
      where indicator_id = 'su_outpatient_visits_per_1000_year' and org_id = 'kainuu' and period_start = date '2019-01-01'`);
    expect(den).toEqual({ population_year: 2019, denominator_fi: 'väestö 31.12.2019' });
  });

  it('applies one "as of year" rule to tiles, perspective scores and the dual model, each value with its own year', async () => {
    // One row per year × indicator × organisation: the latest year up to as_of_year with a value or withheld.
    const [rule] = await q(`with latest as (
        select y.as_of_year, s.indicator_id, s.org_id, max(s.period_start) filter (where s.is_present) as present_start
        from (select distinct as_of_year from marts.scorecard_as_of) y
        join marts.scorecard s on s.period_type = 'year' and year(s.period_start) <= y.as_of_year group by all)
      select count(*) filter (where a.indicator_id is null) as missing,
             count(*) filter (where l.present_start is not null and a.period_start <> l.present_start) as wrong_year,
             (select count(*) - count(distinct (as_of_year, indicator_id, org_id)) from marts.scorecard_as_of) as dupes,
             (select count(*) from marts.scorecard_as_of where data_year > as_of_year) as future
      from latest l left join marts.scorecard_as_of a using (as_of_year, indicator_id, org_id)`);
    expect(rule).toEqual({ missing: 0n, wrong_year: 0n, dupes: 0n, future: 0n });
    const [older] = await q(`select as_of_fi, series_end_fi from marts.scorecard_as_of
      where org_id = 'pohjois-pohjanmaan-hyvinvointialue' and indicator_id = 'net_costs_per_resident' and as_of_year = 2025`);
    // The municipal net costs (Sotkanet 1073) end with 2022: the tile shows the last value, its year and the end.
    expect(older).toEqual({ as_of_fi: 'Tiedot: 2022 (uusin vuoteen 2025 mennessä)', series_end_fi: 'Sarja päättyi 2022' });
    // The perspective score is the weighted mean of exactly the tiles' scores.
    const [mismatch] = await q(`select count(*) as n from marts.perspective_scores_as_of p
      join (select a.org_id, a.as_of_year, a.perspective,
                   round(sum(a.score_0_100 * i.weight) / sum(i.weight), 1) as score, count(*) as counted
            from marts.scorecard_as_of a join staging.stg_config__indicators i using (indicator_id)
            where a.is_strategic and a.perspective <> 'context' and a.score_0_100 is not null and i.weight > 0
            group by all) t using (org_id, as_of_year, perspective)
      where p.score_0_100 is distinct from t.score or p.indicators_counted <> t.counted`);
    expect(mismatch?.n).toBe(0n);
    // It does not drift with the sources' coverage: the county's customer score counts the same indicators every year.
    const counted = await q(`select distinct indicators_counted, indicators_with_target from marts.perspective_scores_as_of
      where org_id = 'pohjois-pohjanmaan-hyvinvointialue' and perspective = 'customer' and as_of_year between 2019 and 2025`);
    expect(counted).toHaveLength(1);
    // The dual model: every year from its first on has a point for every area that had one by then.
    const [dual] = await q(`select count(*) as n, count(distinct as_of_year) as years,
        count(*) filter (where as_of_year = (select max(as_of_year) from marts.dual_model_as_of)) as latest
      from marts.dual_model_as_of`);
    expect(Number(dual?.latest)).toBe(Number((await q(`select count(distinct org_id) as n from marts.dual_model`))[0]?.n));
    expect(Number(dual?.years)).toBeGreaterThanOrEqual(6); // 2018-2023 and later years of the demo
  });

  it('gives one territory one answer: areas with the same members show the same values, withholding, targets and status', async () => {
    const pairs = await q(`with t as (select org_id, year, string_agg(distinct municipality_code, ',' order by municipality_code) as members
                                      from intermediate.int_scorecard__area_members group by all)
      select a.org_id as a, b.org_id as b, a.year from t a join t b on a.year = b.year and a.members = b.members and a.org_id < b.org_id`);
    expect(pairs.some((p) => p.a === 'kainuu' && p.b === 'kainuun-hyvinvointialue' && p.year === 2019)).toBe(true);
    const [diff] = await q(`with t as (select org_id, year, string_agg(distinct municipality_code, ',' order by municipality_code) as members
                                       from intermediate.int_scorecard__area_members group by all),
      pairs as (select a.org_id as a, b.org_id as b, a.year from t a join t b on a.year = b.year and a.members = b.members and a.org_id < b.org_id)
      select count(*) as compared,
             count(*) filter (where x.value is distinct from y.value or x.target is distinct from y.target
                              or x.status <> y.status or x.is_suppressed <> y.is_suppressed) as differing
      from pairs p
      join marts.scorecard x on x.org_id = p.a and year(x.period_start) = p.year
      join marts.scorecard y on y.org_id = p.b and y.indicator_id = x.indicator_id and y.period_start = x.period_start`);
    expect(Number(diff?.compared)).toBeGreaterThan(50);
    expect(diff?.differing).toBe(0n);
  });

  it('aggregates Sotkanet values to areas by one rule: the scorecard and marts.sotkanet_values_by_organisation agree', async () => {
    const [cmp] = await q(`select count(*) as compared,
        count(*) filter (where m.value is distinct from o.value and abs(m.value - o.value) > 1e-9 * greatest(1, abs(o.value))
                         or (m.value is null) <> (o.value is null)) as differing
      from intermediate.int_scorecard__measures m
      join marts.sotkanet_values_by_organisation o
        on m.measure_id = 'sotkanet.' || o.indicator_id and m.org_id = o.organisation_code
       and m.period_start = make_date(o.year, 1, 1) and o.gender = 'total'
      where o.aggregation <> 'sotkanet_region'`);
    expect(Number(cmp?.compared)).toBeGreaterThan(500);
    expect(cmp?.differing).toBe(0n);
  });

  it('fills the dual model, the perspective scores and the data dictionary', async () => {
    const dual = await q(`select org_id, year, quadrant from marts.dual_model`);
    expect(dual.length).toBeGreaterThan(10);
    expect(new Set(dual.map((d) => d.quadrant)).size).toBeGreaterThanOrEqual(3);
    expect(dual.some((d) => d.org_id === 'kainuun-hyvinvointialue')).toBe(true);
    const [ps] = await q(`select count(*) as n, count(distinct perspective) as p from marts.perspective_scores`);
    expect(Number(ps?.n)).toBeGreaterThan(100);
    expect(ps?.p).toBe(4n);
    const [latest] = await q(`select count(*) as n, count(distinct indicator_id || '|' || org_id) as k,
        (select count(*) from marts.scorecard_completeness where latest_period is not null) as expected
      from marts.scorecard_latest`);
    expect(latest?.n).toBe(latest?.k);
    expect(latest?.n).toBe(latest?.expected);
    // For yearly indicators it is the as-of rule at its latest year.
    const [same] = await q(`select count(*) as n from marts.scorecard_latest l
      full join (select * from marts.scorecard_as_of where is_latest and is_present) a using (indicator_id, org_id)
      where (l.period_type = 'year' or a.indicator_id is not null) and (l.period_start is distinct from a.period_start)`);
    expect(same?.n).toBe(0n);
    const dict = await q(`select indicator_id, latest_period, loaded_at, formula_text, owner from marts.indicator_dictionary`);
    expect(dict.length).toBe(registry.indicators.length);
    for (const d of dict) expect(d.formula_text && d.owner, String(d.indicator_id)).toBeTruthy();
    expect(dict.filter((d) => d.latest_period === null).map((d) => d.indicator_id)).toEqual([]);
  });

  // nat (issue 17): comparators and the dual model v2 on the demo
  it('scores the counties against all counties, not against each other (dual model v2)', async () => {
    const counties = await q(`select org_id, year, welfare_score, cost_score, peer_n, peer_set from marts.dual_model where org_type = 'wellbeing_county' order by year, org_id`);
    expect(counties.length).toBeGreaterThan(2);
    for (const c of counties) expect(c, `${c.org_id} ${c.year}`).toMatchObject({ peer_set: 'county' });
    for (const c of counties) expect(Number(c.peer_n), `${c.org_id} ${c.year}`).toBeGreaterThanOrEqual(21);
    // the two local counties no longer mirror each other around 50 in every year
    const byYear = new Map<number, Row[]>();
    for (const c of counties) byYear.set(Number(c.year), [...(byYear.get(Number(c.year)) ?? []), c]);
    const pairs = [...byYear.values()].filter((p) => p.length === 2);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.some(([a, b]) => Number(a?.welfare_score) + Number(b?.welfare_score) !== 100 || Number(a?.cost_score) + Number(b?.cost_score) !== 100)).toBe(true);
    const others = await q(`select distinct peer_set, peer_n from marts.dual_model where org_type <> 'wellbeing_county'`);
    for (const o of others) expect(o).toMatchObject({ peer_set: 'municipality' });
    for (const o of others) expect(Number(o.peer_n)).toBeGreaterThan(250);
    // municipal rows: every municipality of the organisation model, scored against all municipalities (≈ 300)
    const [municipal] = await q(`select count(distinct org_id) as orgs, min(peer_n) as peer_n, count(distinct peer_set) as sets
      from marts.dual_model where org_type = 'municipality'`);
    expect(Number(municipal?.orgs)).toBeGreaterThanOrEqual(30);
    expect(Number(municipal?.peer_n)).toBeGreaterThanOrEqual(290);
    expect(Number(municipal?.sets)).toBe(1);
    const scenarios = await q(`select scenario_code, cost_change_score, welfare_change_score from marts.scenario_dual_model order by scenario_sort`);
    expect(scenarios[0]).toMatchObject({ scenario_code: 'nykymalli', cost_change_score: 50, welfare_change_score: 50 });
    expect(scenarios.length).toBeGreaterThan(1);
  });

  it('gives every strategic tile of a Sotkanet indicator Finland’s value of the same year, and its rank among 22 counties', async () => {
    const tiles = await q(`select a.indicator_id, a.org_id, a.as_of_year, a.data_year, a.finland_value, a.finland_fi, a.county_count, i.numerator_measure
      from marts.scorecard_as_of a join staging.stg_config__indicators i using (indicator_id)
      where a.is_strategic and a.org_type in ('wellbeing_county', 'collaboration_area', 'sub_area') and a.value is not null`);
    expect(tiles.length).toBeGreaterThan(100);
    for (const t of tiles) expect(t.finland_fi, `${t.indicator_id} ${t.org_id} ${t.as_of_year}`).toMatch(/^Koko maa/);
    const sotkanet = tiles.filter((t) => String(t.numerator_measure).startsWith('sotkanet.'));
    for (const t of sotkanet) expect(t.finland_value, `${t.indicator_id} ${t.org_id} ${t.as_of_year}`).not.toBeNull();
    for (const t of sotkanet) expect(Number(t.county_count), `${t.indicator_id} ${t.data_year}`).toBe(22);
    // Finland's value is Sotkanet's MAA value of the tile's data year
    const [mismatch] = await q(`select count(*) as n from marts.scorecard_as_of a
      join marts.indicator_region_values r on r.indicator_id = a.indicator_id and r.region_category = 'MAA' and r.year = a.data_year
      where a.finland_value is distinct from r.value`);
    expect(mismatch?.n).toBe(0n);
  });
});
