/**
 * Small-number protection, property style: over seeded random service-use tables, no published patient count is
 * in 1..threshold-1, and no withheld cell equals a published total minus its published siblings, in every published
 * additive relation (municipalities → district, specialties → all, service types → all, merged municipalities →
 * harmonised municipality).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../pipelines/log.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { rng } from '../../pipelines/demo/service-use-extracts.js';
import { buildServiceUseMarts, type ServiceUseMartsResult, type SettleSettings } from '../../pipelines/service-use/marts.js';
import { queryRows, runSqlFile, transaction, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);
let tmp: { dir: string; cleanup: () => void };

beforeAll(() => {
  tmp = tempDir('tj-suppression-');
});
afterAll(() => tmp.cleanup());

const MUNICIPALITIES = ['564', '205', '072', '244', '425', '436', '859'];
const SPECIALTIES = ['10', '20', '40', '70'];
const TYPES = ['outpatient_visit', 'inpatient_period', 'day_surgery', 'other'];

/** A random staging table: sparse cells, patient counts skewed to small numbers. */
function randomStaging(seed: number, density: number, year = 2021): string {
  const random = rng(seed);
  const lines = ['month,municipality_code,specialty_code,service_type,visits,care_periods,bed_days,patients,cost_eur'];
  for (let m = 1; m <= 4; m++) {
    for (const mun of MUNICIPALITIES) {
      for (const s of SPECIALTIES) {
        for (const t of TYPES) {
          if (random() > density) continue;
          const u = random();
          const patients = u < 0.15 ? 0 : u < 0.55 ? 1 + Math.floor(random() * 4) : 5 + Math.floor(random() * (u < 0.85 ? 20 : 400));
          const inpatient = t === 'inpatient_period';
          const n = patients + Math.floor(random() * (patients + 1));
          lines.push(`${year}-0${m}-01,${mun},${s},${t},${inpatient ? 0 : n},${inpatient ? n : 0},${inpatient ? n * 3 : 0},${patients},${(n * 211.5).toFixed(2)}`);
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

async function prepare(conn: DuckDBConnection, csv: string, years = [2021]): Promise<void> {
  const grid = `(values ${MUNICIPALITIES.map((c) => `('${c}')`).join(', ')}) t(code), (values ${years.map((y) => `(${y})`).join(', ')}) y(year)`;
  await conn.run(`create or replace table staging.stg_statfi__municipality_years as
    select year, code as municipality_code, 'Kunta ' || code as name_fi, 'Kommun ' || code as name_sv, 'Municipality ' || code as name_en
    from ${grid}`);
  await conn.run(`create or replace table marts.population_by_area as
    select 'municipality' as area_type, code as area_code, year, 1000 + cast(code as integer) * 10 as population from ${grid}`);
  // Liminka (425) and Lumijoki (436) merged, for the test: the harmonised mart publishes their sum.
  await conn.run(`create or replace table marts.municipality_harmonisation as
    select code as municipality_code, case when code = '436' then '425' else code end as harmonised_code, 2026 as boundary_year
    from (values ${MUNICIPALITIES.map((c) => `('${c}')`).join(', ')}) t(code)`);
  await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql'); // the names, as the marts job builds them from the key
  await runSqlFile(conn, 'staging/stg_config__organisations.sql'); // no organisation model: no county names
  await runSqlFile(conn, 'staging/stg_service_use__monthly.sql');
  await conn.run('delete from staging.stg_service_use__monthly');
  await conn.run(
    `insert into staging.stg_service_use__monthly
     select month, municipality_code, specialty_code, service_type, visits, care_periods, bed_days, patients, cost_eur,
            1, 'test', 'test.csv', 'load', null
     from read_csv($path, header = true, all_varchar = false,
       types = {'municipality_code': 'VARCHAR', 'specialty_code': 'VARCHAR', 'month': 'DATE'})`,
    { path: csv },
  );
}

/** Lines whose published total minus published members equals one withheld member's true value. */
async function violations(conn: DuckDBConnection, measure: 'patients' | 'visits' | 'cost_eur'): Promise<Record<string, unknown>[]> {
  // A withheld value of 0 is not protected where it is structural (visits of inpatient periods): patients are
  // checked strictly, the other measures for non-zero values.
  const zeroOk = measure === 'patients' ? '' : ' and total - published <> 0';
  const x = `(select s.*, c.${measure} as true_value from marts.service_use_summary s
              join intermediate.int_service_use__cells c using (month, municipality_level, municipality_code, specialty_code, service_type))`;
  const relations = [
    { name: 'municipalities → district', keys: 'month, specialty_code, service_type', total: `municipality_level = 'district'`, member: `municipality_level = 'municipality'` },
    { name: 'specialties → all', keys: 'month, municipality_level, municipality_code, service_type', total: `specialty_code = 'ALL'`, member: `specialty_code <> 'ALL'` },
    { name: 'service types → all', keys: 'month, municipality_level, municipality_code, specialty_code', total: `service_type = 'ALL'`, member: `service_type <> 'ALL'` },
  ];
  const out: Record<string, unknown>[] = [];
  for (const r of relations) {
    out.push(
      ...(await queryRows(
        conn,
        `with x as ${x},
         tot as (select ${r.keys}, ${measure} as total from x where ${r.total} and not is_suppressed),
         mem as (select ${r.keys}, coalesce(sum(${measure}) filter (where not is_suppressed), 0) as published,
                        list(true_value) filter (where is_suppressed) as withheld
                 from x where ${r.member} group by ${r.keys})
         select '${r.name}' as relation, * from tot join mem using (${r.keys})
         where list_contains(withheld, total - published)${zeroOk}`,
      )),
    );
  }
  // Merged municipalities → the harmonised municipality (two published tables).
  out.push(
    ...(await queryRows(
      conn,
      `with h as (select * from marts.service_use_harmonised where municipality_code = '425' and not is_suppressed),
       x as ${x},
       mem as (select month, specialty_code, service_type,
                      coalesce(sum(${measure}) filter (where not is_suppressed), 0) as published,
                      list(true_value) filter (where is_suppressed) as withheld
               from x where municipality_level = 'municipality' and municipality_code in ('425', '436') group by all)
       select 'merged → harmonised' as relation, h.month, h.specialty_code, h.service_type, h.${measure} as total, mem.*
       from h join mem using (month, specialty_code, service_type)
       where list_contains(withheld, h.${measure} - published)${zeroOk.replace('total', `h.${measure}`)}`,
    )),
  );
  return out;
}

describe('small-number protection (property over seeded random tables)', () => {
  for (const [seed, density, threshold] of [
    [1, 0.3, 5],
    [2, 0.6, 5],
    [3, 0.9, 5],
    [4, 0.15, 5],
    [5, 0.5, 10],
    [6, 0.75, 3],
    ...[7, 8, 9, 10, 11, 12].map((seed) => [seed, 0.1 + ((seed * 37) % 80) / 100, 5] as const),
  ] as const) {
    it(`seed ${seed}, density ${density}, threshold ${threshold}`, async () => {
      const db = join(tmp.dir, `s${seed}.duckdb`);
      const csv = join(tmp.dir, `s${seed}.csv`);
      writeFileSync(csv, randomStaging(seed, density));
      const config = defaultServiceUse();
      await withWarehouse(db, async (conn) => {
        await transaction(conn, async () => {
          await prepare(conn, csv);
          const r = await buildServiceUseMarts(conn, config, quiet, threshold);
          expect(r.built).toBe(true);
        });
        // No published patient count below the threshold, in any published service-use table.
        for (const table of ['service_use_summary', 'service_use_monthly', 'service_use_harmonised']) {
          const [small] = await queryRows<{ n: bigint }>(
            conn,
            `select count(*) as n from marts.${table} where patients between 1 and ${threshold - 1}`,
          );
          expect(small?.n, table).toBe(0n);
          const [leak] = await queryRows<{ n: bigint }>(
            conn,
            `select count(*) as n from marts.${table} where is_suppressed and coalesce(visits, care_periods, bed_days, patients, cost_eur, visits_per_1000, cost_eur_per_resident, visits_share_of_district) is not null`,
          );
          expect(leak?.n, table).toBe(0n);
        }
        // Every primary cell is withheld, and the base of the published monthly view matches staging.
        const [primary] = await queryRows<{ n: bigint }>(
          conn,
          `select count(*) as n from intermediate.int_service_use__cells where protected_n between 1 and ${threshold - 1} and not suppressed`,
        );
        expect(primary?.n).toBe(0n);
        expect(await violations(conn, 'patients')).toEqual([]);
        expect(await violations(conn, 'visits')).toEqual([]);
        expect(await violations(conn, 'cost_eur')).toEqual([]);
        const [counts] = await queryRows<{ cells: bigint; withheld: bigint }>(
          conn,
          `select count(*) as cells, count(*) filter (where is_suppressed) as withheld from marts.service_use_summary`,
        );
        expect(Number(counts?.withheld)).toBeGreaterThan(0);
        expect(Number(counts?.withheld)).toBeLessThan(Number(counts?.cells));
      });
    });
  }
});

// scale branch (issue 20): the disclosure step settles independent parts one by one (withhold-complementary.ts)
/** Every withheld cell of the cube and of its yearly and area totals, with why (sorted). */
async function withheldCells(conn: DuckDBConnection): Promise<string[]> {
  return (
    await queryRows<{ cell: string }>(
      conn,
      `select concat_ws('|', 'cube', month, municipality_level, municipality_code, specialty_code, service_type, suppression) as cell
       from intermediate.int_service_use__cells where suppressed or care_withheld
       union all
       select concat_ws('|', grain, period_start, org_id, municipality_code, specialty_code, service_type, suppression)
       from intermediate.int_service_use__org_cells where cube_cell_id is null and (suppressed or care_withheld)
       order by 1`,
    )
  ).map((r) => r.cell);
}

describe('the disclosure step in independent parts', () => {
  it('a cube of two years withholds in each year exactly what that year alone withholds (no relation crosses years)', async () => {
    const staged = [randomStaging(21, 0.5, 2021), randomStaging(22, 0.5, 2022)];
    const header = staged[0]!.split('\n')[0];
    const body = (csv: string) => csv.split('\n').slice(1).join('\n');
    const withheld = async (name: string, csv: string, years: number[]) => {
      const path = join(tmp.dir, `${name}.csv`);
      writeFileSync(path, csv);
      return withWarehouse(join(tmp.dir, `${name}.duckdb`), async (conn) => {
        await transaction(conn, async () => {
          await prepare(conn, path, years);
          expect((await buildServiceUseMarts(conn, defaultServiceUse(), quiet, 5)).built).toBe(true);
        });
        return withheldCells(conn);
      });
    };
    const both = await withheld('both', `${header}\n${body(staged[0]!)}${body(staged[1]!)}`, [2021, 2022]);
    const alone = [...(await withheld('y2021', staged[0]!, [2021])), ...(await withheld('y2022', staged[1]!, [2022]))].sort();
    expect(both.some((c) => c.includes('complementary'))).toBe(true);
    expect(both).toEqual(alone);
  }, 120_000);

  // disc branch (issue 20): an import of new months settles only their years.
  it('a new month settles only the part it falls in: the other year keeps its withheld cells and mart rows, none of its parts settled again', async () => {
    const [y2021, y2022] = [randomStaging(31, 0.5, 2021), randomStaging(32, 0.5, 2022)];
    const [header, ...rows2022] = y2022.trim().split('\n');
    const body2021 = y2021.trim().split('\n').slice(1);
    const csv = (name: string, months: string) => {
      const path = join(tmp.dir, `${name}.csv`);
      writeFileSync(path, `${[header, ...body2021, ...rows2022.filter((r) => months.includes(r.slice(5, 7)))].join('\n')}\n`);
      return path;
    };
    const state = async (conn: DuckDBConnection, year: number) => ({
      withheld: (await queryRows<{ cell: string }>(conn,
        `select concat_ws('|', month, municipality_level, municipality_code, specialty_code, service_type, suppression) as cell
         from intermediate.int_service_use__cells where year(month) = ${year} and (suppressed or care_withheld)
         union all
         select concat_ws('|', grain, period_start, org_id, municipality_code, specialty_code, service_type, suppression)
         from intermediate.int_service_use__org_cells where year(period_start) = ${year} and cube_cell_id is null and (suppressed or care_withheld)
         order by 1`)).map((r) => r.cell),
      summary: await queryRows(conn, `select * from marts.service_use_summary where year(month) = ${year} order by all`),
    });
    const build = async (conn: DuckDBConnection, path: string) => {
      let result;
      await transaction(conn, async () => {
        await prepare(conn, path, [2021, 2022]);
        result = await buildServiceUseMarts(conn, defaultServiceUse(), quiet, 5);
      });
      return result!;
    };
    const [first, withMonth] = [csv('months-1-3', '01 02 03'), csv('months-1-4', '01 02 03 04')];
    const incremental = await withWarehouse(join(tmp.dir, 'incremental.duckdb'), async (conn) => {
      const settled = await build(conn, first);
      expect(settled.partsReused).toBe(0);
      const before = await state(conn, 2021);
      // April 2022 arrives: only the part it falls in is settled (its year's, or its own month's where no published
      // year joins the months, as here without an organisation model); every other part is the first run's.
      const again = await build(conn, withMonth);
      expect(again.partsReused).toBeGreaterThanOrEqual(settled.parts - 1);
      expect(again.parts - again.partsReused).toBe(1);
      const after = await state(conn, 2021);
      expect(before.withheld.some((c) => c.includes('complementary'))).toBe(true);
      expect(after).toEqual(before);
      return [...after.withheld, ...(await state(conn, 2022)).withheld];
    });
    // The same data settled from scratch withholds exactly the same cells.
    const fresh = await withWarehouse(join(tmp.dir, 'fresh.duckdb'), async (conn) => {
      expect((await build(conn, withMonth)).partsReused).toBe(0);
      return [...(await state(conn, 2021)).withheld, ...(await state(conn, 2022)).withheld];
    });
    expect(incremental).toEqual(fresh);
  }, 120_000);

  // disc2 branch (issue 20): the parts settled on every core (pipelines/service-use/settle-parts.ts).
  const twoYears = () => {
    const path = join(tmp.dir, 'two-years.csv');
    const [y2021, y2022] = [randomStaging(41, 0.6, 2021), randomStaging(42, 0.6, 2022)];
    writeFileSync(path, `${y2021}${y2022.split('\n').slice(1).join('\n')}`);
    return path;
  };
  const buildIn = async (conn: DuckDBConnection, path: string, settle: SettleSettings) => {
    let result: ServiceUseMartsResult | undefined;
    await transaction(conn, async () => {
      await prepare(conn, path, [2021, 2022]);
      result = await buildServiceUseMarts(conn, defaultServiceUse(), quiet, 5, settle);
    });
    return result!;
  };

  it('parts settled in worker threads withhold exactly what one thread withholds', async () => {
    const path = twoYears();
    const run = (workers: number) => withWarehouse(join(tmp.dir, `threads-${workers}.duckdb`), async (conn) => {
      const result = await buildIn(conn, path, { workers });
      return { result, withheld: await withheldCells(conn), summary: await queryRows(conn, 'select * from marts.service_use_summary order by all') };
    });
    const [one, two] = [await run(1), await run(2)];
    expect(one.result.parts).toBeGreaterThanOrEqual(4);
    expect(one.result.attacks).toBeGreaterThan(1);
    expect(one.withheld.some((c) => c.includes('complementary'))).toBe(true);
    expect(two.result.rounds).toBe(one.result.rounds);
    expect(two.withheld).toEqual(one.withheld);
    expect(two.summary).toEqual(one.summary);
  }, 120_000);

  it('a part that fails in a worker fails the step with the part and the reason, and the marts committed before stay', async () => {
    const path = twoYears();
    await withWarehouse(join(tmp.dir, 'worker-fails.duckdb'), async (conn) => {
      await buildIn(conn, path, { workers: 2 });
      const before = await queryRows(conn, 'select * from marts.service_use_summary order by all');
      // One attacker round allowed: the parts that need a second one fail in their worker.
      await expect(buildIn(conn, path, { workers: 2, maxAttacks: 1 })).rejects.toThrow(
        /^the disclosure step failed in a worker thread: part \d+ of \d+: the disclosure step did not settle in 1 attacker rounds$/,
      );
      expect(await queryRows(conn, 'select * from marts.service_use_summary order by all')).toEqual(before);
    });
  }, 120_000);
});
