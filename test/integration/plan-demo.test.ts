/**
 * The demo plans through every job (`run all` with Kainuu's 2024-2025 extracts and its demo agreement and budget
 * files): the corrected agreement version is the one in force, the marts hold their contracts, everything that would
 * reveal a withheld actual is withheld, and the disclosure attacker, given the year-to-date actuals of the plan marts
 * as sums of the published months, recovers nothing.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackCube, type ProtectedCube } from '../../pipelines/disclosure/published.js';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const KAINUU = 'kainuun-hyvinvointialue';
let tmp: { dir: string; cleanup: () => void };
let db: string;
type Row = Record<string, unknown>;
const q = (sql: string) => withReadOnly(db, (conn) => queryRows<Row>(conn, sql));

beforeAll(async () => {
  tmp = tempDir('tj-plan-demo-');
  db = join(tmp.dir, 'w.duckdb');
  // Under data/demo/… like the shipped demo files: the marts flag plans from such a path as demo.
  const dirs = { su: join(tmp.dir, 'service-use'), ag: join(tmp.dir, 'data/demo/plan/agreements'), bu: join(tmp.dir, 'data/demo/plan/budgets') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  for (const f of ['kainuu_2024.csv.gz', 'kainuu_2025.xlsx']) copyFileSync(fromRoot(`data/demo/service-use/${f}`), join(dirs.su, f));
  for (const f of ['kainuu_2025.csv', 'kainuu_2025_v2.csv']) copyFileSync(fromRoot(`data/demo/plan/agreements/${f}`), join(dirs.ag, f));
  for (const f of ['kainuu_2025.xlsx', 'yksikot_2025.csv']) copyFileSync(fromRoot(`data/demo/plan/budgets/${f}`), join(dirs.bu, f));
  const base = testConfig(db);
  const config = {
    ...base,
    serviceUse: { ...base.serviceUse, dropDir: dirs.su },
    plan: { ...base.plan, agreementsDropDir: dirs.ag, budgetsDropDir: dirs.bu },
  };
  const summaries = await runJobs(selectJobs('all'), { config, log: createLogger(() => undefined) });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`jobs failed: ${JSON.stringify(failed)}`);
}, 600_000);

afterAll(() => tmp?.cleanup());

describe('demo plans (Kainuu 2025)', () => {
  it('loads the corrected agreement (version 2) over version 1, flagged demo, and the workbook budget with its phasing', async () => {
    const [v] = await q(`select min(agreement_version) as lo, max(agreement_version) as hi, bool_and(is_demo) as demo, count(*) as n
                         from marts.plan_forecast where organiser = '${KAINUU}' and year = 2025`);
    expect(v).toMatchObject({ lo: 2, hi: 2, demo: true });
    expect(Number(v?.n)).toBeGreaterThan(100);
    const [b] = await q(`select phasing, budget_year, forecast_vs_budget_pct from marts.budget_vs_actual
                         where organisation_code = 'kai-sairaala' and account_group = 'erikoissairaanhoito'`);
    expect(b?.phasing).toBe('given');
    expect(Number(b?.forecast_vs_budget_pct)).toBeGreaterThan(90);
    expect(Number(b?.forecast_vs_budget_pct)).toBeLessThan(110);
  });

  it('scores "toteuma / sopimus, %" and "ennuste / talousarvio, %" in the registry from the plan marts, with targets', async () => {
    const rows = await q(`select indicator_id, org_id, value, target_low, target_high, target, status from marts.scorecard
                          where indicator_id in ('plan_actual_vs_agreement', 'plan_forecast_vs_budget') and value is not null
                          order by indicator_id, org_id`);
    const [f] = await q(`select actual_ytd * 100.0 / plan_ytd as pct from marts.plan_forecast where organiser = '${KAINUU}'
                         and municipality_code = '${KAINUU}' and specialty_code = 'ALL' and service_type = 'ALL' and measure = 'cost_eur'`);
    const [b] = await q(`select forecast * 100.0 / budget_year as pct from marts.budget_vs_actual
                         where organisation_code = 'kai-sairaala' and account_group = 'erikoissairaanhoito'`);
    expect(rows.map((r) => [r.indicator_id, r.org_id])).toEqual([
      ['plan_actual_vs_agreement', KAINUU],
      ['plan_forecast_vs_budget', 'kai-sairaala'],
      ['plan_forecast_vs_budget', KAINUU], // the county's budget: its service areas' specialist-care lines
    ]);
    expect(Number(rows[0]!.value)).toBeCloseTo(Number(f!.pct), 6);
    expect(rows[0]).toMatchObject({ target_low: 97, target_high: 103 });
    expect(Number(rows[1]!.value)).toBeCloseTo(Number(b!.pct), 6);
    expect(Number(rows[2]!.value)).toBeCloseTo(Number(b!.pct), 6);
    expect(rows[1]).toMatchObject({ target: 100 });
    expect(rows.every((r) => ['green', 'yellow', 'red'].includes(String(r.status)))).toBe(true);
  });

  it('withholds the actual, deviation and forecast wherever the published actual is withheld', async () => {
    // Year to date: every plan_forecast actual is the published yearly figure, NULL exactly where that one is withheld.
    const [f] = await q(`
      select count(*) filter (where (f.actual_ytd is null) <> (y.is_suppressed or y.cost_eur is null)) as mismatched,
             count(*) filter (where f.is_withheld and (f.deviation_ytd is not null or f.forecast is not null or f.forecast_low is not null
                                                        or f.forecast_high is not null or f.status_fi is not null)) as revealing,
             count(*) filter (where not f.is_withheld and abs(f.actual_ytd - y.cost_eur) > 0.005) as different
      from marts.plan_forecast f
      join marts.service_use_yearly y on y.county_org_id = f.organiser and y.municipality_code = f.municipality_code
       and y.specialty_code = f.specialty_code and y.service_type = f.service_type and y.year = f.year
      where f.measure = 'cost_eur'`);
    expect(f).toEqual({ mismatched: 0n, revealing: 0n, different: 0n });
    // Per month: an actual is published only where the month is, and a year to date only while every month to it is.
    const [m] = await q(`
      select count(*) filter (where p.actual is not null and (s.is_suppressed or p.actual <> s.cost_eur)) as wrong_month,
             count(*) filter (where p.actual_ytd is not null and abs(p.actual_ytd - (select sum(s2.cost_eur) from marts.service_use_summary s2
                 where s2.county_org_id = p.organiser and s2.municipality_code = p.municipality_code and s2.specialty_code = p.specialty_code
                   and s2.service_type = p.service_type and s2.year = p.year and month(s2.month) <= p.month_no)) > 0.005) as wrong_ytd,
             count(*) filter (where p.is_withheld) as withheld
      from marts.plan_vs_actual_monthly p
      join marts.service_use_summary s on s.county_org_id = p.organiser and s.municipality_code = p.municipality_code
       and s.specialty_code = p.specialty_code and s.service_type = p.service_type and s.month = p.month
      where p.measure = 'cost_eur'`);
    expect(m).toMatchObject({ wrong_month: 0n, wrong_ytd: 0n });
    expect(Number(m?.withheld)).toBeGreaterThan(0); // the demo has withheld months among the planned cells
  });

  it('a specialty-group line (Kajaani × operatiiviset, …) is the sum of its members\' published figures, unknown when one is withheld', async () => {
    const rows = await q(`
      with g as (select group_code, specialty_code from staging.stg_config__specialty_groups),
      y as (select f.specialty_code, f.actual_ytd, f.is_withheld,
                   sum(s.cost_eur) as members_sum, bool_or(s.is_suppressed or s.cost_eur is null) as member_withheld
            from marts.plan_forecast f join g on g.group_code = f.specialty_code
            join marts.service_use_yearly s on s.county_org_id = f.organiser and s.municipality_code = f.municipality_code
             and s.specialty_code = g.specialty_code and s.service_type = f.service_type and s.year = f.year
            where f.organiser = '${KAINUU}' and f.municipality_code = '205' and f.measure = 'cost_eur' and f.year = 2025
            group by all)
      select specialty_code, actual_ytd, is_withheld, members_sum, member_withheld from y order by 1`);
    expect(rows.map((r) => r.specialty_code)).toEqual(['konservatiiviset', 'operatiiviset', 'psykiatria']);
    for (const r of rows) {
      expect(r.is_withheld, String(r.specialty_code)).toBe(r.member_withheld);
      if (!r.member_withheld) expect(Number(r.actual_ytd)).toBeCloseTo(Number(r.members_sum), 2);
      else expect(r.actual_ytd).toBeNull();
    }
    // Per month the same: a group month is published only when every member month is.
    const [m] = await q(`
      select count(*) filter (where (p.actual is null) <> x.any_withheld) as wrong_withheld,
             count(*) filter (where p.actual is not null and abs(p.actual - x.members_sum) > 0.005) as wrong_sum
      from marts.plan_vs_actual_monthly p
      join (select f.month, g.group_code, sum(f.cost_eur) as members_sum, bool_or(f.is_suppressed or f.cost_eur is null) as any_withheld
            from marts.service_use_summary f join staging.stg_config__specialty_groups g on g.specialty_code = f.specialty_code
            where f.county_org_id = '${KAINUU}' and f.municipality_code = '205' and f.service_type = 'ALL' group by all) x
        on x.group_code = p.specialty_code and x.month = p.month
      where p.organiser = '${KAINUU}' and p.municipality_code = '205' and p.measure = 'cost_eur' and p.has_actual`);
    expect(m).toEqual({ wrong_withheld: 0n, wrong_sum: 0n });
  });

  it('unit budgets: visits and staffing against the published unit data', async () => {
    const rows = await q(`
      select b.organisation_code, b.account_group, b.actual_ytd, b.months_with_data, b.is_incomplete,
             (select case when b.account_group = 'käynnit' then sum(u.visits) else round(sum(u.staff_htv) / b.months_with_data, 1) end
              from marts.unit_data_monthly u where u.unit_code = b.organisation_code and u.year = b.year and month(u.month) <= b.months_with_data) as published
      from marts.budget_vs_actual b
      where b.organisation_level = 'unit' and b.organiser = '${KAINUU}' and b.year = 2025 order by 1, 2`);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows.filter((x) => !x.is_incomplete)) {
      expect(Number(r.actual_ytd), `${r.organisation_code} ${r.account_group}`).toBeCloseTo(Number(r.published), 6);
    }
    expect(rows.filter((x) => !x.is_incomplete).length).toBeGreaterThan(10);
  });

  it('gives the disclosure attacker nothing: the months, the year-to-date sums the plan marts publish and the year in one cube', async () => {
    // A withheld year to date is left out (unknown to the attacker); what must stay unrecoverable are the withheld months.
    const cube: ProtectedCube = {
      mart: 'plan_vs_actual_monthly+service_use',
      from: {
        marts: ['plan_vs_actual_monthly', 'service_use_summary', 'service_use_yearly'],
        sql: `with keys as (select distinct organiser, municipality_code, specialty_code, service_type from marts.plan_vs_actual_monthly)
              select 'm:' || strftime(s.month, '%Y-%m') as period, s.municipality_code || '|' || s.specialty_code as cell_key,
                     s.is_suppressed as withheld, s.cost_eur
              from marts.service_use_summary s join keys k on k.organiser = s.county_org_id and k.municipality_code = s.municipality_code
               and k.specialty_code = s.specialty_code and k.service_type = s.service_type
              where s.year = 2025
              union all
              select 'ytd:' || strftime(p.month, '%Y-%m'), p.municipality_code || '|' || p.specialty_code, false, p.actual_ytd
              from marts.plan_vs_actual_monthly p where p.measure = 'cost_eur' and p.actual_ytd is not null and p.year = 2025
              union all
              select 'y:2025', y.municipality_code || '|' || y.specialty_code, y.is_suppressed, y.cost_eur
              from marts.service_use_yearly y join keys k on k.organiser = y.county_org_id and k.municipality_code = y.municipality_code
               and k.specialty_code = y.specialty_code and k.service_type = y.service_type
              where y.year = 2025`,
      },
      withheld: 'withheld',
      keys: ['period', 'cell_key'],
      totals: [],
      area: {
        key: 'period',
        members: `select 'ytd:2025-' || lpad(cast(t as varchar), 2, '0') as area, 'm:2025-' || lpad(cast(m as varchar), 2, '0') as member
                  from range(1, 13) a(t), range(1, 13) b(m) where m <= t
                  union all
                  select 'y:2025', 'm:2025-' || lpad(cast(m as varchar), 2, '0') from range(1, 13) b(m)`,
      },
      measures: [{ column: 'cost_eur', kind: 'euros' }],
    };
    const leaks = await withReadOnly(db, (conn) => attackCube(conn, cube));
    expect(leaks.filter((l) => l.enforced)).toEqual([]);
  }, 300_000);

  it('gives the disclosure attacker nothing from the specialty-group lines: Kajaani\'s specialties and groups, month by month and the year, in one cube', async () => {
    // A group is the sum of its member specialties (the relation the attacker is given); the whole-specialty total ALL is
    // left out here (the service-use cube's own attack has it).
    const where = `county_org_id = '${KAINUU}' and municipality_code = '205' and service_type = 'ALL' and year = 2025 and specialty_code <> 'ALL'`;
    const plan = `organiser = '${KAINUU}' and municipality_code = '205' and service_type = 'ALL' and year = 2025 and measure = 'cost_eur' and specialty_level = 'group'`;
    const cube: ProtectedCube = {
      mart: 'plan groups+service_use',
      from: {
        marts: ['plan_vs_actual_monthly', 'plan_forecast', 'service_use_summary', 'service_use_yearly'],
        sql: `select 'm:' || strftime(month, '%Y-%m') as period, specialty_code as cell_key, is_suppressed as withheld, cost_eur
              from marts.service_use_summary where ${where}
              union all
              select 'm:' || strftime(month, '%Y-%m'), specialty_code, false, actual from marts.plan_vs_actual_monthly where ${plan} and actual is not null
              union all
              select 'y:2025', specialty_code, is_suppressed, cost_eur from marts.service_use_yearly where ${where}
              union all
              select 'y:2025', specialty_code, false, actual_ytd from marts.plan_forecast where ${plan} and actual_ytd is not null`,
      },
      withheld: 'withheld',
      keys: ['period', 'cell_key'],
      totals: [],
      area: { key: 'cell_key', members: 'select group_code as area, specialty_code as member from staging.stg_config__specialty_groups' },
      measures: [{ column: 'cost_eur', kind: 'euros' }],
    };
    const groupCells = await q(`select count(*) as n from marts.plan_forecast where ${plan} and actual_ytd is not null`);
    expect(Number(groupCells[0]?.n)).toBe(3);
    const leaks = await withReadOnly(db, (conn) => attackCube(conn, cube));
    expect(leaks.filter((l) => l.enforced)).toEqual([]);
  }, 300_000);
});
