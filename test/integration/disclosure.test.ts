/**
 * Issue 12: the attacker (pipelines/disclosure) over everything published. On the demo warehouse and on a generated
 * extract with many small municipalities no withheld cell is recoverable; switching suppression off for one
 * overlapping area makes the attacker find the leak and the publish refuse.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attackPublished } from '../../pipelines/disclosure/published.js';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { defaultOps } from '../../pipelines/settings/ops.js';
import { copyMarts, publishWarehouse, readPointer } from '../../pipelines/ops/publish.js';
import { runJobs } from '../../pipelines/runner.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { buildServiceUseMarts } from '../../pipelines/service-use/marts.js';
import { runSqlFile, transaction, withDuckDB, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const log = createLogger(() => {});
const tmp = tempDir('tj-disclosure-');
afterAll(() => tmp.cleanup());

describe('the attacker on the demo warehouse', () => {
  const warehouse = join(tmp.dir, 'demo.duckdb');
  const published = join(tmp.dir, 'demo-marts.duckdb');

  beforeAll(async () => {
    const summaries = await runJobs(selectJobs('all'), { config: testConfig(warehouse), log });
    expect(summaries.filter((s) => s.outcome !== 'success')).toEqual([]);
    await copyMarts(warehouse, published);
  }, 300_000);

  it('recovers no withheld cell of any published mart, in seconds', async () => {
    const started = Date.now();
    const leaks = await withReadOnly(published, (conn) => attackPublished(conn));
    expect(leaks).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
    const withheld = await withReadOnly(published, async (conn) =>
      (await conn.runAndReadAll(`select
          (select count(*) from marts.service_use_summary where is_suppressed)::integer as su,
          (select count(*) from marts.service_need_projection where suppressed)::integer as projection`)).getRowObjectsJS(),
    );
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

  it('finds Oulunkaari as pilot area − Lakeus when suppression is switched off for Lakeus, and the publish refuses', async () => {
    const leaky = join(tmp.dir, 'leaky.duckdb');
    await copyMarts(warehouse, leaky);
    const switchOff = (conn: DuckDBConnection) =>
      conn.run(`update marts.service_need_projection set suppressed = false where area_code = 'lakeus'`);
    await withDuckDB(leaky, switchOff);
    const leaks = await withReadOnly(leaky, (conn) => attackPublished(conn));
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
  }, 120_000);
});

describe('the attacker on a generated extract with many small municipalities', () => {
  it('recovers no withheld cell of the service-use marts', async () => {
    const db = join(tmp.dir, 'small.duckdb');
    const marts = join(tmp.dir, 'small-marts.duckdb');
    await withWarehouse(db, (conn) =>
      transaction(conn, async () => {
        // 120 municipalities of which most are tiny: 12 months × 4 specialties × 4 service types, seeded.
        await conn.run(`select setseed(0.12);
          create or replace table staging.stg_statfi__municipality_years as
          select 2021 as year, lpad(cast(i as varchar), 3, '0') as municipality_code, 'Kunta ' || i as name_fi from range(100, 220) t(i);
          create or replace table marts.population_by_area as
          select 'municipality' as area_type, municipality_code as area_code, 2021 as year, 800 + (cast(municipality_code as integer) % 7) * 500 as population
          from staging.stg_statfi__municipality_years;
          -- 101 and 102 merged into 100: the harmonised level publishes their sum too.
          create or replace table marts.municipality_harmonisation as
          select municipality_code, case when municipality_code in ('101', '102') then '100' else municipality_code end as harmonised_code,
                 2026 as boundary_year
          from staging.stg_statfi__municipality_years`);
        await runSqlFile(conn, 'staging/stg_service_use__monthly.sql');
        await conn.run(`delete from staging.stg_service_use__monthly;
          insert into staging.stg_service_use__monthly
          select month, municipality_code, specialty_code, service_type,
                 case when service_type = 'inpatient_period' then 0 else n end, case when service_type = 'inpatient_period' then n else 0 end,
                 case when service_type = 'inpatient_period' then 3 * n else 0 end, patients, n * 211.5, 1, 'test', 'small.csv', 'load', null
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
        const r = await buildServiceUseMarts(conn, defaultServiceUse(), log);
        expect(r.built).toBe(true);
        expect(r.suppressed).toBeGreaterThan(1000);
      }),
    );
    await copyMarts(db, marts);
    expect(await withReadOnly(marts, (conn) => attackPublished(conn))).toEqual([]);
  }, 120_000);
});
