/**
 * Scorecard formulas over hand-computed fixtures (test/fixtures/scorecard): rates and factors, month → year
 * aggregation and yearly stocks broadcast to months, polarity and status colours exactly at the boundaries, target
 * inheritance and periods, trend and changes over gaps, suppressed inputs, perspective weights, and the dual model's
 * four quadrants. The SQL is the shipped one (pipelines/sql); only its inputs are fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { buildScorecard } from '../../pipelines/scorecard/build.js';
import { loadRegistryToStaging } from '../../pipelines/scorecard/load.js';
import { parseRegistry } from '../../pipelines/scorecard/registry.js';
import { parseTargets } from '../../pipelines/scorecard/targets.js';
import { queryRows, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';
import { createSotkanetStaging } from '../helpers/sotkanet-staging.js';

const fixture = (name: string) => fromRoot(`test/fixtures/scorecard/${name}`);

type Grain = 'year' | 'month';
interface M {
  measure: string;
  org: string;
  grain: Grain;
  period: string;
  value: number | null;
  suppressed?: boolean;
  onSuppressed?: 'propagate' | 'exclude';
  time?: 'sum' | 'avg';
}

const measures: M[] = [];
const y = (measure: string, org: string, year: number, value: number | null, extra: Partial<M> = {}) =>
  measures.push({ measure, org, grain: 'year', period: `${year}-01-01`, value, ...extra });
const mo = (measure: string, org: string, month: string, value: number | null, extra: Partial<M> = {}) =>
  measures.push({ measure, org, grain: 'month', period: `${month}-01`, value, ...extra });

// rate = 1000 × visits / population (year): m1 2019 50/2000 → 25, 2020 60/2000 → 30, 2021 withheld visits.
for (const year of [2019, 2020, 2021, 2023, 2024]) y('population.total', 'm1', year, 2000, { time: 'avg' });
y('service_use.outpatient_visits', 'm1', 2019, 50);
y('service_use.outpatient_visits', 'm1', 2020, 60);
y('service_use.outpatient_visits', 'm1', 2021, 55, { suppressed: true });
// sotkanet.1 for lower / higher / band / inherit
[10, 11, 11.5, 9, 12].forEach((v, i) => y('sotkanet.1', 'm1', 2018 + i, v, { time: 'avg' }));
[9, 8.9, 10, 8].forEach((v, i) => y('sotkanet.1', 'm2', 2018 + i, v, { time: 'avg' })); // 2022 missing
// gappy: 2019 and 2021 have no row
y('sotkanet.4', 'm1', 2018, 10);
y('sotkanet.4', 'm1', 2020, 12);
y('sotkanet.4', 'm1', 2022, 12);
// su_month_rate: monthly visits over the yearly population (broadcast)
mo('service_use.outpatient_visits', 'm1', '2023-01', 8);
mo('service_use.outpatient_visits', 'm1', '2024-01', 10);
// unit u1, 2024: feedback 40 points / 10 respondents a month, February withheld (1 respondent, 5 points)
for (let m = 1; m <= 12; m++) {
  const month = `2024-${String(m).padStart(2, '0')}`;
  const withheld = m === 2;
  mo('unit.feedback_points', 'u1', month, withheld ? 5 : 40, { suppressed: withheld, onSuppressed: 'exclude' });
  mo('unit.feedback_respondents', 'u1', month, withheld ? 1 : 10, { suppressed: withheld, onSuppressed: 'exclude' });
  // sickness absence: 5 days of 100 a month; u2's May is withheld (propagates)
  mo('unit.sickness_absence_days', 'u1', month, m <= 3 ? 3 * m : 5);
  mo('unit.staff_days', 'u1', month, 100);
  mo('unit.sickness_absence_days', 'u2', month, 5, { suppressed: m === 5 });
  mo('unit.staff_days', 'u2', month, 100);
}
// u2 has only 11 months of staff days in… no: u3 misses a month (incomplete year, not withheld)
for (let m = 1; m <= 11; m++) {
  const month = `2024-${String(m).padStart(2, '0')}`;
  mo('unit.sickness_absence_days', 'u3', month, 5);
  mo('unit.staff_days', 'u3', month, 100);
}

// u4 left June's sickness absence empty (not reported, not withheld): its year is incomplete.
// u5 closed at the end of June: its year is its six months.
for (let m = 1; m <= 12; m++) {
  const month = `2024-${String(m).padStart(2, '0')}`;
  mo('unit.sickness_absence_days', 'u4', month, m === 6 ? null : 5);
  mo('unit.staff_days', 'u4', month, 100);
  if (m <= 6) {
    mo('unit.sickness_absence_days', 'u5', month, 8);
    mo('unit.staff_days', 'u5', month, 100);
  }
}

const ORGS = [
  // org_id, org_type, parent
  ['c', 'wellbeing_county', null],
  ['m1', 'municipality', null],
  ['m2', 'municipality', null],
  ['sa', 'service_area', 'c'],
  ['u1', 'unit', 'sa'],
  ['u2', 'unit', 'sa'],
  ['u3', 'unit', 'sa'],
  ['u4', 'unit', 'sa'],
  ['u5', 'unit', 'sa', '2024-06-30'],
] as const;
const ANCESTORS = [
  ['m1', 'c', 1],
  ['m2', 'c', 1],
  ['sa', 'c', 1],
  ['u1', 'sa', 1],
  ['u1', 'c', 2],
  ['u2', 'sa', 1],
  ['u2', 'c', 2],
  ['u3', 'sa', 1],
  ['u3', 'c', 2],
  ['u4', 'sa', 1],
  ['u5', 'sa', 1],
] as const;

async function loadFixtures(conn: DuckDBConnection): Promise<void> {
  const registry = parseRegistry(readFileSync(fixture('registry.yaml'), 'utf8'), fixture('registry.yaml'));
  const targets = parseTargets(readFileSync(fixture('targets.yaml'), 'utf8'), fixture('targets.yaml'), registry);
  await loadRegistryToStaging(conn, registry, targets);
  await createSotkanetStaging(conn, []);
  await conn.run(`create or replace table intermediate.int_scorecard__orgs (org_id varchar, org_type varchar, name_fi varchar,
    name_sv varchar, parent_id varchar, valid_from date, valid_to date, region_category varchar, region_code varchar,
    municipality_code varchar, org_sort integer, name_en varchar)`);
  for (const [id, type, parent, validTo] of ORGS.map((o) => [...o, null] as const)) {
    await conn.run(
      `insert into intermediate.int_scorecard__orgs values ($id, $type, upper($id), null, $parent, null, cast($valid_to as date), null, null, null, 1, null)`,
      { id, type, parent, valid_to: validTo ?? null },
    );
  }
  await conn.run(`create or replace table intermediate.int_scorecard__area_members (org_id varchar, year integer, municipality_code varchar, depth integer)`);
  await conn.run(`create or replace table intermediate.int_scorecard__org_ancestors as
    select org_id, org_id as ancestor_id, 0 as depth, null::integer as year from intermediate.int_scorecard__orgs`);
  for (const [org, ancestor, depth] of ANCESTORS) {
    await conn.run(`insert into intermediate.int_scorecard__org_ancestors values ($org, $ancestor, $depth, null)`, { org, ancestor, depth });
  }
  await conn.run(`create or replace table intermediate.int_scorecard__measures (measure_id varchar, org_id varchar, grain varchar,
    period_start date, value double, is_suppressed boolean, on_suppressed varchar, time_aggregation varchar,
    source_updated_at timestamptz, loaded_at timestamptz, is_demo boolean, source varchar)`);
  for (const m of measures) {
    await conn.run(
      `insert into intermediate.int_scorecard__measures values ($measure, $org, $grain, cast($period as date), $value, $suppressed,
         $on, $time, timestamptz '2024-06-01 00:00:00+00', timestamptz '2025-01-02 00:00:00+00', false, 'testi')`,
      {
        measure: m.measure,
        org: m.org,
        grain: m.grain,
        period: m.period,
        value: m.value,
        suppressed: m.suppressed ?? false,
        on: m.onSuppressed ?? 'propagate',
        time: m.time ?? 'sum',
      },
    );
  }
}

interface Row {
  indicator_id: string;
  org_id: string;
  period_start: Date;
  value: number | null;
  target: number | null;
  status: string;
  change_prev: number | null;
  change_yoy: number | null;
  trend: string | null;
  score_0_100: number | null;
  is_suppressed: boolean;
  numerator: number | null;
  denominator: number | null;
  peer_rank: bigint | null;
  target_scope: string | null;
}

let tmp: { dir: string; cleanup: () => void };
let rows: Map<string, Row>;
let perspective: Record<string, unknown>[];
let completeness: Record<string, unknown>[];

const get = (indicator: string, org: string, period: string): Row => {
  const r = rows.get(`${indicator}|${org}|${period}`);
  if (!r) throw new Error(`no scorecard row ${indicator} ${org} ${period}`);
  return r;
};
const approx = (v: number | null) => (v === null ? null : Math.round(v * 1e6) / 1e6);

beforeAll(async () => {
  tmp = tempDir('tj-scorecard-');
  await withWarehouse(join(tmp.dir, 'w.duckdb'), async (conn) => {
    await loadFixtures(conn);
    await buildScorecard(conn, { suppressionThreshold: 5, from: 'rows', unitDataMart: false });
    const all = await queryRows<Row>(conn, 'select * from marts.scorecard');
    rows = new Map(all.map((r) => [`${r.indicator_id}|${r.org_id}|${new Date(r.period_start).toISOString().slice(0, 10)}`, r]));
    perspective = await queryRows(conn, `select * from marts.perspective_scores order by org_id, period_start, perspective`);
    completeness = await queryRows(conn, `select * from marts.scorecard_completeness order by indicator_id, org_id`);
  });
}, 60_000);

afterAll(() => tmp?.cleanup());

describe('formulas', () => {
  it('computes rates with the factor: 1000 × 50 / 2000 = 25', () => {
    expect(get('rate', 'm1', '2019-01-01')).toMatchObject({ value: 25, numerator: 50, denominator: 2000, is_suppressed: false });
    expect(get('rate', 'm1', '2020-01-01').value).toBe(30);
  });

  it('withholds a result whose numerator is withheld: no value, no numerator, status none', () => {
    const r = get('rate', 'm1', '2021-01-01');
    expect(r).toMatchObject({ value: null, numerator: null, is_suppressed: true, status: 'none', score_0_100: null });
    // and the following change is not computed from it
    expect(get('rate', 'm1', '2020-01-01').change_prev).toBe(5);
  });

  it('sums months into a year only when all twelve are there; withheld months propagate or are excluded', () => {
    // u1: (3+6+9 + 9×5) / 1200 × 100 = 63 / 12 = 5.25
    expect(approx(get('sick_y', 'u1', '2024-01-01').value)).toBe(5.25);
    // u2: May withheld, sickness absence propagates
    expect(get('sick_y', 'u2', '2024-01-01')).toMatchObject({ value: null, is_suppressed: true });
    // u3: eleven months only: incomplete, not withheld
    expect(get('sick_y', 'u3', '2024-01-01')).toMatchObject({ value: null, is_suppressed: false, status: 'none' });
    // u4: June not reported → no yearly value, and not withheld either
    expect(get('sick_y', 'u4', '2024-01-01')).toMatchObject({ value: null, is_suppressed: false });
    // u5 closed at the end of June: its year is January-June, 48 / 600 × 100 = 8
    expect(approx(get('sick_y', 'u5', '2024-01-01').value)).toBe(8);
    expect(rows.has('sick_q|u5|2024-07-01')).toBe(false);
    // feedback excludes the withheld February on both sides: 440 / 110 = 4, not 445 / 111
    expect(get('feedback_y', 'u1', '2024-01-01')).toMatchObject({ value: 4, is_suppressed: false, numerator: 440, denominator: 110 });
    expect(get('feedback_m', 'u1', '2024-02-01')).toMatchObject({ value: null, is_suppressed: true, status: 'none' });
    expect(get('feedback_m', 'u1', '2024-03-01')).toMatchObject({ value: 4, status: 'green' });
  });

  it('sums months into quarters', () => {
    // Q1: (3+6+9)/300 × 100 = 6; Q2: 15/300 × 100 = 5
    expect(approx(get('sick_q', 'u1', '2024-01-01').value)).toBe(6);
    expect(approx(get('sick_q', 'u1', '2024-04-01').value)).toBe(5);
    expect(get('sick_q', 'u2', '2024-04-01').is_suppressed).toBe(true);
  });

  it('repeats a yearly stock (population) for the months of its year', () => {
    expect(get('su_month_rate', 'm1', '2024-01-01')).toMatchObject({ value: 5, denominator: 2000 });
    expect(get('su_month_rate', 'm1', '2024-01-01').change_yoy).toBe(1); // 5 − 1000 × 8 / 2000
    expect(get('su_month_rate', 'm1', '2024-01-01').change_prev).toBeNull(); // 2023-12 has no value
  });
});

describe('status colours and scores at the boundaries', () => {
  it('lower is better, target 10, yellow up to +10 %', () => {
    expect(get('lower', 'm1', '2018-01-01')).toMatchObject({ value: 10, status: 'green', score_0_100: 100 });
    expect(get('lower', 'm1', '2019-01-01')).toMatchObject({ value: 11, status: 'yellow', score_0_100: 50 });
    expect(get('lower', 'm1', '2020-01-01')).toMatchObject({ value: 11.5, status: 'red', score_0_100: 25 });
    expect(get('lower', 'm1', '2021-01-01')).toMatchObject({ value: 9, status: 'green', score_0_100: 100 });
  });

  it('a target for later periods replaces the earlier one (2022: target 5)', () => {
    expect(get('lower', 'm1', '2022-01-01')).toMatchObject({ value: 12, target: 5, status: 'red', score_0_100: 0 });
  });

  it('higher is better, target 10, yellow down to −10 %', () => {
    expect(get('higher', 'm2', '2018-01-01')).toMatchObject({ value: 9, status: 'yellow', score_0_100: 50 });
    expect(get('higher', 'm2', '2019-01-01')).toMatchObject({ value: 8.9, status: 'red' });
    expect(approx(get('higher', 'm2', '2019-01-01').score_0_100)).toBe(45);
    expect(get('higher', 'm2', '2020-01-01')).toMatchObject({ value: 10, status: 'green', score_0_100: 100 });
    expect(get('higher', 'm1', '2022-01-01')).toMatchObject({ value: 12, status: 'green', score_0_100: 100 });
  });

  it('target band 10..12 with an absolute yellow zone of 1', () => {
    expect(get('band', 'm1', '2018-01-01')).toMatchObject({ value: 10, target: 11, status: 'green' });
    expect(get('band', 'm1', '2022-01-01')).toMatchObject({ value: 12, status: 'green' });
    expect(get('band', 'm1', '2021-01-01')).toMatchObject({ value: 9, status: 'yellow', score_0_100: 50 });
    expect(get('band', 'm2', '2019-01-01')).toMatchObject({ value: 8.9, status: 'red' });
    expect(get('band', 'm2', '2021-01-01')).toMatchObject({ value: 8, status: 'red', score_0_100: 0 });
  });

  it('ranks peers of the same type respecting polarity', () => {
    expect(get('lower', 'm2', '2018-01-01').peer_rank).toBe(1n);
    expect(get('lower', 'm1', '2018-01-01').peer_rank).toBe(2n);
    expect(get('higher', 'm1', '2018-01-01').peer_rank).toBe(1n);
  });
});

describe('target inheritance', () => {
  it('the organisation own > the organisation it belongs to > its type > general', () => {
    expect(get('inherit', 'c', '2018-01-01')).toMatchObject({ target: 20, target_scope: 'c', value: null, status: 'none' });
    expect(get('inherit', 'm1', '2018-01-01')).toMatchObject({ target: 20, target_scope: 'c' });
    expect(get('inherit', 'm2', '2020-01-01')).toMatchObject({ target: 20, target_scope: 'c' });
    expect(get('inherit', 'm2', '2021-01-01')).toMatchObject({ target: 30, target_scope: 'm2' });
    // a service area's target applies to its units
    expect(get('sick_y', 'u1', '2024-01-01')).toMatchObject({ target: 5, target_scope: 'sa', status: 'yellow' });
  });
});

describe('trend and changes', () => {
  it('follows the slope over the last three periods', () => {
    expect(get('lower', 'm1', '2018-01-01').trend).toBeNull();
    expect(get('lower', 'm1', '2019-01-01').trend).toBe('up');
    expect(get('lower', 'm1', '2021-01-01').trend).toBe('down');
    expect(get('lower', 'm1', '2019-01-01').change_prev).toBe(1);
    expect(get('lower', 'm1', '2019-01-01').change_yoy).toBe(1);
  });

  it('skips missing periods: the trend uses the values there are, changes need the exact previous period', () => {
    expect(get('gappy', 'm1', '2019-01-01')).toMatchObject({ value: null, trend: null, is_suppressed: false });
    expect(get('gappy', 'm1', '2020-01-01')).toMatchObject({ value: 12, trend: 'up', change_prev: null, change_yoy: null });
    expect(get('gappy', 'm1', '2022-01-01')).toMatchObject({ value: 12, trend: 'flat', change_prev: null });
  });
});

describe('roll-ups and completeness', () => {
  it('averages indicator scores per perspective with the registry weights', () => {
    // customer, m1, 2019: lower 50 (weight 1), higher 100 (weight 3) → 87.5
    const row = perspective.find(
      (p) => p.org_id === 'm1' && p.perspective === 'customer' && new Date(p.period_start as Date).toISOString().startsWith('2019'),
    );
    expect(row).toMatchObject({ score_0_100: 87.5, indicators_counted: 2 });
  });

  it('reports missing expected periods per indicator and organisation', () => {
    const lowerM2 = completeness.find((c) => c.indicator_id === 'lower' && c.org_id === 'm2');
    expect(lowerM2).toMatchObject({ periods_expected: 5n, periods_present: 4n, periods_missing: 1n, is_complete: false });
    const rateM1 = completeness.find((c) => c.indicator_id === 'rate' && c.org_id === 'm1');
    expect(rateM1).toMatchObject({ periods_expected: 3n, periods_present: 3n, periods_suppressed: 1n, is_complete: true });
    const rateM2 = completeness.find((c) => c.indicator_id === 'rate' && c.org_id === 'm2');
    expect(rateM2).toMatchObject({ periods_present: 0n, is_complete: false });
  });
});


