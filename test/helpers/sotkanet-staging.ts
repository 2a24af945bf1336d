import type { DuckDBConnection } from '@duckdb/node-api';

/** One Sotkanet value of a fixture: indicator id, region category and code, year, value. */
export type RegionValue = [number, string, string, number, number | null];

/**
 * Creates the Sotkanet staging tables the comparator marts read (marts.indicator_region_values), with the given
 * values (gender total) and every indicator marked synthetic or not; the regions' Swedish and English names empty (the
 * marts then publish the Finnish one).
 */
export async function createSotkanetStaging(conn: DuckDBConnection, values: RegionValue[], synthetic = false): Promise<void> {
  await conn.run(`create or replace table staging.stg_sotkanet__values (indicator_id integer, region_category varchar,
    region_code varchar, year integer, gender varchar, value double)`);
  await conn.run(`create or replace table staging.stg_sotkanet__indicators (indicator_id integer, is_synthetic boolean)`);
  await conn.run(`create or replace table staging.stg_sotkanet__regions (region_category varchar, region_code varchar, region_name_fi varchar,
    region_name_sv varchar, region_name_en varchar)`);
  for (const [indicator, category, code, year, value] of values) {
    await conn.run(`insert into staging.stg_sotkanet__values values ($indicator, $category, $code, $year, 'total', $value)`, {
      indicator,
      category,
      code,
      year,
      value,
    });
  }
  await conn.run(`insert into staging.stg_sotkanet__indicators select distinct indicator_id, $s from staging.stg_sotkanet__values`, { s: synthetic });
  await conn.run(`insert into staging.stg_sotkanet__regions select distinct region_category, region_code, region_category || ' ' || region_code, null, null from staging.stg_sotkanet__values`);
}
