/**
 * A small hand-made plan warehouse for the plan fixture tests: the run / query / file helpers over one DuckDB file in
 * a temp folder, and the published service use (marts.service_use_summary monthly, marts.service_use_yearly) of one
 * organiser written from hand-computed figures (cost_eur, service type 'ALL'; null = withheld).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, transaction, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from './tmp.js';

type Row = Record<string, unknown>;

export function planFixture(prefix: string) {
  const tmp = tempDir(prefix);
  const db = join(tmp.dir, 'w.duckdb');
  const run = <T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> => withWarehouse(db, (conn) => transaction(conn, () => fn(conn)));
  return {
    db,
    dir: tmp.dir,
    cleanup: tmp.cleanup,
    run,
    q: (sql: string) => run((conn) => queryRows<Row>(conn, sql)),
    file: (name: string, text: string) => {
      const path = join(tmp.dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/**
 * Writes the published service use: `months` key (the organiser's code = its whole area, else a municipality) and
 * specialty → [last year Jan..Dec], [this year from January]; `yearly` this year's published year to date.
 */
export async function writePublishedServiceUse(
  conn: DuckDBConnection,
  organiser: string,
  year: number,
  months: [string, string, (number | null)[], (number | null)[]][],
  yearly: [string, string, number | null][],
): Promise<void> {
  const level = (code: string) => (code === organiser ? 'county' : 'municipality');
  const values = months.flatMap(([code, specialty, last, current]) =>
    [...last.map((v, i) => [year - 1, i + 1, v]), ...current.map((v, i) => [year, i + 1, v])].map(
      ([y, m, v]) => `(make_date(${y}, ${m}, 1), ${y}, '${level(code)}', '${code}', '${code}', '${organiser}', 'Järjestäjä',
        '${specialty}', '${specialty}', 'ALL', 'Kaikki', ${v ?? 'null'}::double, ${v === null})`,
    ),
  );
  // the names in Swedish and English as the mart has them (here the Finnish ones)
  await conn.run(`create table marts.service_use_summary as select *, null::bigint as visits, null::bigint as care_periods,
      null::bigint as bed_days, municipality_name_fi as municipality_name_sv, municipality_name_fi as municipality_name_en,
      county_name_fi as county_name_sv, county_name_fi as county_name_en, specialty_name_fi as specialty_name_sv,
      specialty_name_fi as specialty_name_en, service_type_fi as service_type_sv, service_type_fi as service_type_en from (values ${values.join(',')}) t(month, year, municipality_level, municipality_code,
      municipality_name_fi, county_org_id, county_name_fi, specialty_code, specialty_name_fi, service_type, service_type_fi,
      cost_eur, is_suppressed)`);
  await conn.run(`create table marts.service_use_yearly as select *, null::bigint as visits, null::bigint as care_periods,
      null::bigint as bed_days from (values ${yearly.map(([code, s, v]) => `(${year}, '${level(code)}', '${code}', '${organiser}', '${s}', 'ALL', ${v ?? 'null'}::double, ${v === null})`).join(',')})
      t(year, municipality_level, municipality_code, county_org_id, specialty_code, service_type, cost_eur, is_suppressed)`);
}
