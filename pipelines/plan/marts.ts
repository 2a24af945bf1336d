import type { DuckDBConnection } from '@duckdb/node-api';
import { tableExists } from '../service-use/import.js';
import { runSqlFile } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';
import { preparePlanStaging } from './import.js';
import { ensureSpecialtyGroups } from './specialty-groups.js';

const intermediate = (...tables: string[]): string[] => tables.map((t) => `intermediate/int_plan__${t}.sql`);
/** The plan's intermediate models, one file a table: the cells and their forecast, the plans by month, the units' forecast. */
export const PLAN_FORECAST_FILES = intermediate('cells', 'cell_members', 'actual_months', 'data_months', 'forecast_months', 'forecast');
export const PLAN_MONTHS_FILES = intermediate('seasonality', 'agreement_months', 'budget_months');
export const PLAN_UNIT_FILES = intermediate('unit_months', 'unit_forecast');

/** The plan marts (docs/plan.md), in build order (pipelines/sql/marts/<name>.sql). */
export const PLAN_MARTS = ['plan_vs_actual_monthly', 'plan_forecast', 'budget_vs_actual'] as const;

/**
 * Builds the plan marts from the plan staging and the published marts.service_use_summary (built first: the plans
 * are compared with what is published, never with the unprotected cube). Without service use or the organisation
 * model (a partial run) the marts are built empty.
 */
export async function buildPlanMarts(conn: DuckDBConnection): Promise<void> {
  await preparePlanStaging(conn);
  // Without the service-use marts (a partial run): empty stand-ins of the same shape while the plan marts build
  // (they are tables), dropped again so that nothing half-shaped is ever published.
  const cells = `null::varchar as municipality_level, null::varchar as municipality_code, null::varchar as county_org_id,
      null::varchar as specialty_code, null::varchar as service_type, null::bigint as visits, null::bigint as care_periods,
      null::bigint as bed_days, null::double as cost_eur, null::boolean as is_suppressed, null::integer as year`;
  const standIns: string[] = [];
  if (!(await tableExists(conn, 'marts', 'service_use_summary'))) {
    // the names in Finnish, Swedish and English, as the mart has them
    const names = ['municipality_name', 'county_name', 'specialty_name', 'service_type']
      .flatMap((n) => ['fi', 'sv', 'en'].map((l) => `null::varchar as ${n}_${l}`))
      .join(', ');
    await conn.run(`create table marts.service_use_summary as select ${cells}, null::date as month, ${names} where false`);
    standIns.push('service_use_summary');
  }
  if (!(await tableExists(conn, 'marts', 'service_use_yearly'))) {
    await conn.run(`create table marts.service_use_yearly as select ${cells} where false`);
    standIns.push('service_use_yearly');
  }
  for (const [schema, table] of [['staging', 'stg_config__organisations'], ['staging', 'stg_config__service_areas']] as const) {
    if (!(await tableExists(conn, schema, table))) await runSqlFile(conn, `staging/${table}.sql`);
  }
  await ensureSpecialtyGroups(conn);
  // The areas' members of each year come with the service-use marts (the region model); without them an area has none.
  if (!(await tableExists(conn, 'intermediate', 'int_scorecard__area_members'))) {
    await conn.run(`create table intermediate.int_scorecard__area_members
      (org_id varchar, year integer, municipality_code varchar, depth integer)`);
  }
  await runSqlModels(conn, PLAN_FORECAST_FILES);
  await runSqlModels(conn, PLAN_MONTHS_FILES);
  // The units' own data answers the staffing and visit budgets (an empty table when unit data never ran).
  await runSqlFile(conn, 'staging/stg_unit_data__monthly.sql');
  await runSqlModels(conn, PLAN_UNIT_FILES);
  for (const mart of PLAN_MARTS) await runSqlFile(conn, `marts/${mart}.sql`);
  for (const t of standIns) await conn.run(`drop table marts.${t}`);
}
