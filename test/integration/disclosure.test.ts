/**
 * Issue 12: the attacker (pipelines/disclosure) over everything published. On the demo warehouse and on a generated
 * extract with many small municipalities no withheld cell is recoverable; switching suppression off for one
 * overlapping area makes the attacker find the leak and the publish refuse.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackPublished, PROTECTED_CUBES, type ProtectedCube, type PublishedLeak } from '../../pipelines/disclosure/published.js';
import { createLogger } from '../../pipelines/log.js';
import { defaultOps } from '../../pipelines/settings/ops.js';
import { copyMarts, publishWarehouse, readPointer } from '../../pipelines/ops/publish.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { buildServiceUseMarts } from '../../pipelines/service-use/marts.js';
import { runSqlFile, transaction, withDuckDB, withWarehouse } from '../../pipelines/warehouse.js';
import { copyDemoWarehouse } from '../helpers/demo-warehouse.js';
import { tempDir, withReadOnly } from '../helpers/tmp.js';

const log = createLogger(() => {});
const tmp = tempDir('tj-disclosure-');
afterAll(() => tmp.cleanup());

describe('the attacker on the demo warehouse', () => {
  const warehouse = join(tmp.dir, 'demo.duckdb');
  const published = join(tmp.dir, 'demo-marts.duckdb');

  beforeAll(async () => {
    // every job over the demo inputs (the shared demo warehouse, test/helpers/demo-warehouse.ts)
    await copyDemoWarehouse(warehouse);
    await copyMarts(warehouse, published);
  }, 900_000);

  it('recovers no withheld cell of any published mart, in seconds', async () => {
    const started = Date.now();
    const found = await withReadOnly(published, (conn) => attackPublished(conn));
    // Nothing at all: every finding refuses the publish, euro amounts bounded within ±1 % included.
    expect(found).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
    const withheld = await withReadOnly(published, async (conn) =>
      (await conn.runAndReadAll(`select
          (select count(*) from marts.service_use_summary where is_suppressed)::integer as su,
          (select count(*) from marts.service_need_projection where suppressed)::integer as projection,
          (select count(*) from marts.service_use_summary
           where is_care_periods_withheld and care_periods is null and visits is not null and cost_eur is not null)::integer as care_only`)).getRowObjectsJS(),
    );
    // Care periods and bed days withheld on their own: the cell's visits and euros are shown.
    expect(withheld[0]!.care_only).toBeGreaterThan(0);
    // The attacker had something to attack.
    expect(withheld[0]!.su).toBeGreaterThan(0);
    expect(withheld[0]!.projection).toBeGreaterThan(0);
  });

  it('withholds no yearly figure of an area with 10 000 or more residents; counties and collaboration areas show every year with data', async () => {
    const rows = await withReadOnly(published, async (conn) =>
      (await conn.runAndReadAll(`select indicator_id, org_id, org_type, year(period_start) as year, is_suppressed, value, is_present
         from marts.scorecard
         where indicator_id in ('su_cost_per_resident_year', 'su_outpatient_visits_per_1000_year') and denominator >= 10000`)).getRowObjectsJS(),
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((r) => r.is_suppressed).map((r) => `${r.indicator_id} ${r.org_id} ${r.year}`)).toEqual([]);
    const tiles = rows.filter((r) => ['wellbeing_county', 'collaboration_area'].includes(String(r.org_type)) && r.is_present);
    expect(new Set(tiles.filter((r) => r.org_type === 'wellbeing_county').map((r) => r.org_id)).size).toBe(2);
    expect(tiles.filter((r) => r.value === null)).toEqual([]);
  });

  it('shows sickness absence and overtime of units under unit_data.min_unit_htv only as part of their service area', async () => {
    const [units] = await withReadOnly(published, async (conn) =>
      (await conn.runAndReadAll(`select
          count(*) filter (where staff_htv < 10 and (sickness_absence_days is not null or overtime_hours is not null
                                                      or sickness_absence_pct is not null))::integer as small_shown,
          count(*) filter (where staff_htv < 10 and is_staff_health_withheld and staff_health_note_fi is not null)::integer as small_withheld,
          count(*) filter (where unit_code = 'puolanka-ta' and sickness_absence_pct is null)::integer as puolanka_withheld,
          count(*) filter (where unit_code = 'puolanka-ta')::integer as puolanka
        from marts.unit_data_monthly`)).getRowObjectsJS(),
    );
    expect(units!.small_shown).toBe(0);
    expect(units!.small_withheld).toBeGreaterThan(0);
    expect(units!.puolanka_withheld).toBe(units!.puolanka);
    // The unit's own scorecard row is withheld; its service area's row includes it and is shown.
    const rows = await withReadOnly(published, async (conn) =>
      (await conn.runAndReadAll(`select s.org_type, count(*) filter (where s.value is not null)::integer as shown, count(*)::integer as n
         from marts.scorecard s
         where s.indicator_id = 'unit_sickness_absence_pct'
           and s.org_id in ('puolanka-ta', (select service_area_code from marts.unit_data_monthly where unit_code = 'puolanka-ta' limit 1))
         group by 1 order by 1`)).getRowObjectsJS(),
    );
    expect(rows.find((r) => r.org_type === 'unit')?.shown).toBe(0);
    expect(Number(rows.find((r) => r.org_type !== 'unit')?.shown)).toBeGreaterThan(0);
  });

  it('finds Oulunkaari as pilot area − Lakeus when suppression is switched off for Lakeus and the pilot area, and the publish refuses', async () => {
    const leaky = join(tmp.dir, 'leaky.duckdb');
    await copyMarts(warehouse, leaky);
    // Both other areas of the relation published in full (the demo's protection may withhold the same cells in all
    // three areas, so switching off Lakeus alone need not open anything): Oulunkaari's withheld cells are then the
    // difference of two published ones.
    const [withheld] = await withReadOnly(leaky, async (conn) =>
      (await conn.runAndReadAll(`select count(*)::integer as n from marts.service_need_projection where area_code = 'oulunkaari' and suppressed`)).getRowObjectsJS(),
    );
    expect(Number(withheld?.n)).toBeGreaterThan(0);
    const switchOff = (conn: DuckDBConnection) =>
      conn.run(`update marts.service_need_projection set suppressed = false where area_code in ('lakeus', 'oulunkaari-lakeus')`);
    await withDuckDB(leaky, switchOff);
    const leaks = (await withReadOnly(leaky, (conn) => attackPublished(conn))).filter((l) => l.enforced);
    expect(leaks.length).toBeGreaterThan(0);
    expect(new Set(leaks.map((l) => `${l.mart} ${l.key.area_code}`))).toEqual(new Set(['service_need_projection oulunkaari']));

    // The same switch in the working warehouse: the publish is rejected and the previous state stays.
    const ops = defaultOps();
    const first = await publishWarehouse({ warehousePath: warehouse, batchId: 'good', ops });
    expect(first.outcome).toBe('published');
    const before = readPointer(warehouse);
    await withWarehouse(warehouse, switchOff);
    const second = await publishWarehouse({ warehousePath: warehouse, batchId: 'leaky', ops, now: new Date(Date.now() + 1000) });
    expect(second.outcome).toBe('rejected');
    expect((second as { message: string }).message).toMatch(/disclosure: withheld cells are recoverable .*marts\.service_need_projection/);
    expect(readPointer(warehouse)).toEqual(before);
  }, 300_000); // four attacks over every published mart (two checks, two publishes): 120 s was too short under load

  it('across marts: a published year minus its published months gives the one withheld month', async () => {
    const leaky = join(tmp.dir, 'leaky-months.duckdb');
    await copyMarts(warehouse, leaky);
    // A municipality's complete year shown in marts.service_use_yearly, with two or three months withheld in
    // marts.service_use_summary: all but the first of them are published (their real values, from the warehouse).
    const [target] = await withDuckDB(leaky, async (conn) => {
      await conn.run(`attach '${warehouse}' as w (read_only)`);
      const rows = (await conn.runAndReadAll(`
        create temp table slice as
        select s.month, s.municipality_code, s.specialty_code, s.service_type
        from marts.service_use_summary s
        join (select y.year, y.municipality_code, y.specialty_code, y.service_type
              from marts.service_use_yearly y join marts.service_use_summary m
                on year(m.month) = y.year and m.municipality_code = y.municipality_code and m.municipality_level = 'municipality'
               and m.specialty_code = y.specialty_code and m.service_type = y.service_type and m.is_suppressed
              where y.municipality_level = 'municipality' and y.months = 12 and not y.is_suppressed
              group by all having count(*) between 2 and 3
              order by all limit 1) y
          on year(s.month) = y.year and s.municipality_code = y.municipality_code and s.municipality_level = 'municipality'
         and s.specialty_code = y.specialty_code and s.service_type = y.service_type
        where s.is_suppressed;
        update marts.service_use_summary s
        set is_suppressed = false, is_care_periods_withheld = false, visits = c.visits, care_periods = c.care_periods,
            bed_days = c.bed_days, patients = c.patients, cost_eur = c.cost_eur
        from w.intermediate.int_service_use__cells c
        where c.municipality_level = 'municipality' and s.municipality_level = 'municipality'
          and (c.month, c.municipality_code, c.specialty_code, c.service_type) = (s.month, s.municipality_code, s.specialty_code, s.service_type)
          and (s.month, s.municipality_code, s.specialty_code, s.service_type) in (select * from slice where month > (select min(month) from slice));
        select strftime(min(month), '%Y-%m') as month, any_value(municipality_code) as municipality_code,
               any_value(specialty_code) as specialty_code, any_value(service_type) as service_type, count(*) as n from slice`)).getRowObjectsJS();
      await conn.run('detach w');
      return rows;
    });
    expect(Number(target!.n)).toBeGreaterThanOrEqual(2);
    const leaks = (await withReadOnly(leaky, (conn) => attackPublished(conn))).filter((l) => l.enforced);
    expect(leaks).toContainEqual(expect.objectContaining({
      mart: 'service_use_summary+yearly',
      key: { period: `m:${target!.month}`, municipality_code: target!.municipality_code, specialty_code: target!.specialty_code, service_type: target!.service_type },
    }));
  }, 120_000);
});

/**
 * A generated extract with many small municipalities into `db`, its service-use marts built and copied to `marts`.
 * `patientsMissing`: the SQL condition under which a row has no patient count (some extracts lack it for some
 * rows; their totals' patients are then empty, not zero).
 */
async function buildSmallExtract(db: string, marts: string, patientsMissing = 'false'): Promise<void> {
  await withWarehouse(db, (conn) =>
    transaction(conn, async () => {
      // 120 municipalities of which most are tiny: 12 months × 4 specialties × 4 service types, seeded.
      await conn.run(`select setseed(0.12);
        create or replace table staging.stg_statfi__municipality_years as
        select 2021 as year, lpad(cast(i as varchar), 3, '0') as municipality_code, 'Kunta ' || i as name_fi,
               'Kommun ' || i as name_sv, 'Municipality ' || i as name_en from range(100, 220) t(i);
        create or replace table marts.population_by_area as
        select 'municipality' as area_type, municipality_code as area_code, 2021 as year, 800 + (cast(municipality_code as integer) % 7) * 500 as population
        from staging.stg_statfi__municipality_years;
        -- 101 and 102 merged into 100: the harmonised level publishes their sum too.
        create or replace table marts.municipality_harmonisation as
        select municipality_code, case when municipality_code in ('101', '102') then '100' else municipality_code end as harmonised_code,
               2026 as boundary_year
        from staging.stg_statfi__municipality_years`);
      await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql'); // the names, as the marts job builds them from the key
      await runSqlFile(conn, 'staging/stg_config__organisations.sql'); // no organisation model: no county names
      await runSqlFile(conn, 'staging/stg_service_use__monthly.sql');
      await conn.run(`delete from staging.stg_service_use__monthly;
        insert into staging.stg_service_use__monthly
        select month, municipality_code, specialty_code, service_type,
               case when service_type = 'inpatient_period' then 0 else n end, case when service_type = 'inpatient_period' then n else 0 end,
               case when service_type = 'inpatient_period' then 3 * n else 0 end,
               case when ${patientsMissing} then null else patients end, n * 211.5, 1, 'test', 'small.csv', 'load', null
        from (
          select *, patients + cast(floor(u * (patients + 1)) as integer) as n
          from (
            select make_date(2021, m, 1) as month, municipality_code, s as specialty_code, t as service_type, random() as u,
                   cast(floor(case when cast(municipality_code as integer) % 5 = 0 then 5 + random() * 60 else random() * 7 end) as integer) as patients
            from staging.stg_statfi__municipality_years, range(1, 13) r(m),
                 (values ('10'), ('20'), ('40'), ('70')) a(s),
                 (values ('outpatient_visit'), ('inpatient_period'), ('day_surgery'), ('other')) b(t)
          ) p
        ) x where u < 0.8`);
      const r = await buildServiceUseMarts(conn, defaultServiceUse(), log, 5);
      expect(r.built).toBe(true);
      expect(r.suppressed).toBeGreaterThan(1000);
    }),
  );
  await copyMarts(db, marts);
}

describe('the attacker on a generated extract with many small municipalities', () => {
  it('recovers no withheld cell of the service-use marts', async () => {
    const marts = join(tmp.dir, 'small-marts.duckdb');
    await buildSmallExtract(join(tmp.dir, 'small.duckdb'), marts);
    expect(await withReadOnly(marts, (conn) => attackPublished(conn))).toEqual([]);
    // A year is the sum of its months, also for '100' into which '101' and '102' merged (its year is its own, not
    // its harmonised unit's): else the relations the attacker uses would not hold.
    const years = await withReadOnly(marts, async (conn) =>
      (await conn.runAndReadAll(`with m as (
          select municipality_code, specialty_code, service_type, sum(cost_eur) as eur, count(*) filter (where is_suppressed) as withheld
          from marts.service_use_summary where municipality_level = 'municipality' group by all)
        select count(*)::integer as n, count(*) filter (where abs(y.cost_eur - m.eur) > 0.01)::integer as off,
               count(*) filter (where y.municipality_code = '100')::integer as merged
        from marts.service_use_yearly y join m using (municipality_code, specialty_code, service_type)
        where y.municipality_level = 'municipality' and not y.is_suppressed and m.withheld = 0`)).getRowObjectsJS(),
    );
    expect(years[0]).toMatchObject({ off: 0 });
    expect(Number(years[0]!.merged)).toBeGreaterThan(0);
  }, 120_000);

  it('gets through when some rows have no patient count (an empty total is unknown, not zero), and nothing is recoverable', async () => {
    // Every third municipality's "other" contacts come without patients: their service-type totals publish no
    // patients. Taken as zero, the attacker "recovered" a withheld member's patients as 0 − 0 in a line whose cells
    // were all withheld already, and the step stopped with "made no progress".
    const marts = join(tmp.dir, 'small-missing-marts.duckdb');
    await buildSmallExtract(join(tmp.dir, 'small-missing.duckdb'), marts, `service_type = 'other' and cast(municipality_code as integer) % 3 = 0`);
    const empty = await withReadOnly(marts, async (conn) =>
      (await conn.runAndReadAll(`select count(*)::integer as n from marts.service_use_summary
        where service_type = 'ALL' and patients is null and visits > 0`)).getRowObjectsJS(),
    );
    expect(Number(empty[0]!.n)).toBeGreaterThan(0);
    expect(await withReadOnly(marts, (conn) => attackPublished(conn))).toEqual([]);
  }, 120_000);
});

describe('the attacks on crafted published tables (each fails when protection is broken)', () => {
  /** A published table of cells (one row each) and its declaration; returns the attacker's findings. */
  async function attack(name: string, rows: string, cube: ProtectedCube): Promise<PublishedLeak[]> {
    const file = join(tmp.dir, `${name}.duckdb`);
    await withDuckDB(file, (conn) => conn.run(`create schema if not exists marts; create or replace table marts.${cube.mart} as ${rows}`));
    return withReadOnly(file, (conn) => attackPublished(conn, [cube]));
  }
  // A 2 × 3 table of counts with its row and column totals; * withheld:
  //        c1   c2   c3   ALL
  //   r1   3*   0*   5    8
  //   r2   2*   4    6*   12
  //   ALL  5    4    11   20
  // No exact combination of one row or one column gives 3, but c2 shows r1·c2 ≤ 0, so r1·c1 = 8 − 5 − 0 = 3.
  const table = (withheld: string[]) => `select r, c, n, (r || c) in (${withheld.map((w) => `'${w}'`).join(', ')}) as w
    from (values ('r1', 'c1', 3), ('r1', 'c2', 0), ('r1', 'c3', 5), ('r1', 'ALL', 8), ('r2', 'c1', 2), ('r2', 'c2', 4),
                 ('r2', 'c3', 6), ('r2', 'ALL', 12), ('ALL', 'c1', 5), ('ALL', 'c2', 4), ('ALL', 'c3', 11), ('ALL', 'ALL', 20)) t(r, c, n)`;
  const grid: ProtectedCube = {
    mart: 'grid',
    withheld: 'w',
    keys: ['r', 'c'],
    totals: [{ column: 'r', total: 'ALL' }, { column: 'c', total: 'ALL' }],
    measures: [{ column: 'n', kind: 'count' }],
  };
  const gridCells = (w: string[]) => table(w).replace('select r, c, n,', 'select r, c, case when not ((r || c) in (' + w.map((x) => `'${x}'`).join(', ') + ')) then n end as n,');

  it('the interval attack bounds a count within ±0.5 through a withheld zero, and finds nothing once a cell of weight is withheld too', async () => {
    const broken = await attack('grid-broken', gridCells(['r1c1', 'r1c2', 'r2c1', 'r2c3']), grid);
    expect(broken.filter((l) => l.enforced).map((l) => [l.attack, l.key.r, l.key.c])).toEqual([['interval', 'r1', 'c1'], ['interval', 'r2', 'c1'], ['interval', 'r2', 'c3']]);
    const kept = await attack('grid-kept', gridCells(['r1c1', 'r1c2', 'r2c1', 'r2c3', 'r1c3']), grid);
    expect(kept).toEqual([]);
  });

  // One specialty's service types: the total = inpatient (3 patients: withheld) + outpatient and day surgery (withheld
  // with it).
  // Care periods occur only in inpatient periods, so the total's care periods are the inpatient cell's.
  const types = (totalCareWithheld: boolean) => `select '10' as s, t, w, care_w, case when w or care_w then null else care end as care,
      case when w then null else visits end as visits
    from (values ('inpatient_period', true, false, 4, 0), ('outpatient_visit', true, false, 0, 9),
                 ('day_surgery', true, false, 0, 30), ('ALL', false, ${totalCareWithheld}, 4, 39)) x(t, w, care_w, care, visits)`;
  const line: ProtectedCube = {
    mart: 'types',
    withheld: 'w',
    keys: ['s', 't'],
    totals: [{ column: 't', total: 'ALL' }],
    measures: [
      { column: 'care', kind: 'count', withheld: 'care_w', zeroWhere: `t in ('outpatient_visit', 'day_surgery')` },
      { column: 'visits', kind: 'count', zeroWhere: `t = 'inpatient_period'` },
    ],
  };

  it('euros: an amount the interval attack bounds within ±1 % refuses the publish', async () => {
    const euros: ProtectedCube = { ...grid, measures: [{ column: 'n', kind: 'euros' }] };
    const scaled = (w: string[]) => gridCells(w).replace('then n end as n', 'then n * 1000.25 end as n');
    const broken = (await attack('grid-euros', scaled(['r1c1', 'r1c2', 'r2c1', 'r2c3']), euros)).filter((l) => l.enforced);
    expect(broken).toContainEqual(expect.objectContaining({ attack: 'interval', measure: 'n', key: { r: 'r1', c: 'c1' } }));
    expect(await attack('grid-euros-kept', scaled(['r1c1', 'r1c2', 'r2c1', 'r2c3', 'r1c3']), euros)).toEqual([]);
  });

  it('the projection (rounded to whole units): the interval attack bounds a withheld amount through a withheld zero', async () => {
    const projection = PROTECTED_CUBES.find((c) => c.mart === 'service_need_projection')!;
    // One municipality, one year: the grid above as specialties (10, 20) × service types (outpatient, day surgery,
    // other), euros × 1000, visits ÷ 10 rounded; the area hierarchy is empty.
    const rows = (w: string[]) => `select 2030 as year, 'municipality' as area_type, '001' as area_code,
        case r when 'r1' then '10' when 'r2' then '20' else 'ALL' end as specialty_code,
        case c when 'c1' then 'outpatient_visit' when 'c2' then 'day_surgery' when 'c3' then 'other' else 'ALL' end as service_type,
        w as suppressed, case when not w then round(n / 10.0) end as visits, case when not w then 0 end as care_periods,
        case when not w then 0 end as bed_days, case when not w then n * 1000 end as cost_eur
      from (${table(w)})`;
    const file = (name: string) => join(tmp.dir, `${name}.duckdb`);
    for (const [name, w] of [['projection-broken', ['r1c1', 'r1c2', 'r2c1', 'r2c3']], ['projection-kept', ['r1c1', 'r1c2', 'r2c1', 'r2c3', 'r1c3']]] as const) {
      await withDuckDB(file(name), (conn) => conn.run(`create schema if not exists marts;
        create or replace table marts.service_need_projection as ${rows([...w])};
        create or replace table marts.foresight_area_members (area_type varchar, area_code varchar, municipality_code varchar)`));
    }
    const broken = await withReadOnly(file('projection-broken'), (conn) => attackPublished(conn, [projection]));
    expect(broken).toContainEqual(expect.objectContaining({
      attack: 'interval', measure: 'cost_eur', enforced: true, key: expect.objectContaining({ specialty_code: '10', service_type: 'outpatient_visit' }),
    }));
    // Rounding is allowed for: 3 visits ± the rounding of the published ones is not bounded within ±0.5.
    expect(broken.filter((l) => l.attack === 'interval' && l.measure === 'visits')).toEqual([]);
    expect(await withReadOnly(file('projection-kept'), (conn) => attackPublished(conn, [projection]))).toEqual([]);
  });

  it('care periods withheld on their own: the total shows its visits, and publishing its care periods is a leak', async () => {
    const broken = await attack('types-broken', types(false), line);
    expect(broken.map((l) => [l.measure, l.key.t, l.enforced])).toEqual([['care', 'inpatient_period', true]]);
    expect(await attack('types-kept', types(true), line)).toEqual([]);
  });
});
