import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../log.js';
import { queryRows, runSqlFile } from '../warehouse.js';
import type { ResolvedServiceUse } from '../settings/service-use.js';
import { prepareServiceUseStaging, tableExists } from './import.js';
import { withholdComplementary } from './withhold-complementary.js';

/** Complementary suppression over the cube (intermediate.int_service_use__cells) and its lines; returns the rounds. */
async function suppressComplementary(conn: DuckDBConnection): Promise<number> {
  const { rounds } = await withholdComplementary(conn, {
    cells: `select cast(protected_n as double) as protected_n,
        cast(protected_n <> 0 as integer) + 2 * cast(coalesce(patients, 0) <> 0 as integer)
      + 4 * cast(coalesce(visits, 0) <> 0 as integer) + 8 * cast(coalesce(care_periods, 0) <> 0 as integer)
      + 16 * cast(coalesce(bed_days, 0) <> 0 as integer) + 32 * cast(coalesce(cost_eur, 0) <> 0 as integer) as non_zero,
        suppressed
      from intermediate.int_service_use__cells order by cell_id`,
    lines: `select cast(line_id as double), cast(cell_id - 1 as integer), is_total
      from temp.int_service_use__suppression_lines order by line_id, cell_id`,
    table: 'intermediate.int_service_use__cells',
  });
  return rounds;
}

/**
 * The service-use cells the scorecard publishes (intermediate.int_service_use__org_cells, docs/disclosure.md): area months,
 * municipality years and area years computed from the unprotected cells, protected together with the cube's
 * municipality months. A municipality month withheld there goes back to the cube, whose lines are closed again, and
 * the round repeats until the cube and the scorecard cells agree. Returns the cube cells it added.
 */
async function protectOrgCells(conn: DuckDBConnection, threshold: number, log: Logger): Promise<number> {
  const membersFrom = [['staging', 'stg_config__organisations'], ['staging', 'region_settings'], ['marts', 'organisation_members_by_year']];
  let known = true;
  for (const [schema, table] of membersFrom) known &&= await tableExists(conn, schema!, table!);
  if (known) await runSqlFile(conn, 'intermediate/int_scorecard__area_members.sql');
  else {
    await conn.run(`create or replace table intermediate.int_scorecard__area_members
      (org_id varchar, year integer, municipality_code varchar, depth integer)`);
  }
  let added = 0;
  const started = Date.now();
  await runSqlFile(conn, 'intermediate/int_service_use__org_cells.sql', { threshold });
  await runSqlFile(conn, 'intermediate/int_service_use__org_lines.sql');
  const sqlMs = Date.now() - started;
  for (let round = 1; ; round++) {
    if (round > 1) {
      // The cells and their lines stay; the cube's cells take the cube's new protection.
      await conn.run(`update intermediate.int_service_use__org_cells o set suppressed = true, suppression = 'cube'
        from intermediate.int_service_use__cells c where c.cell_id = o.cube_cell_id and c.suppressed and not o.suppressed`);
    }
    const step = await withholdComplementary(conn, {
      cells: 'select cast(protected_n as double), non_zero, suppressed from intermediate.int_service_use__org_cells order by cell_id',
      lines: `select line_id, cast(cell_id - 1 as integer), is_total from temp.int_service_use__org_lines order by line_id, cell_id`,
      equations: `select group_id, line_id, cast(cell_id - 1 as integer), case when is_total then 1.0 else -1.0 end
        from temp.int_service_use__org_lines order by group_id, line_id`,
      table: 'intermediate.int_service_use__org_cells',
    });
    const [row] = await queryRows<{ Count: bigint }>(
      conn,
      `update intermediate.int_service_use__cells set suppressed = true, suppression = 'complementary'
       where not suppressed and cell_id in (select cube_cell_id from intermediate.int_service_use__org_cells
                                             where suppressed and cube_cell_id is not null)`,
    );
    const n = Number(row?.Count ?? 0);
    log.info('service-use totals protected', { round, sql_ms: sqlMs, ms: Date.now() - started, attacks: step.attacks, cube_cells_added: n });
    if (!n) break;
    if (round >= 20) throw new Error('the service-use cube and its yearly and area totals did not agree in 20 rounds');
    added += n;
    await suppressComplementary(conn);
  }
  await conn.run('drop table if exists temp.int_service_use__org_lines');
  return added;
}

/** The published service-use marts, in build order (pipelines/sql/marts/<name>.sql). */
export const SERVICE_USE_MARTS = ['service_use_summary', 'service_use_monthly', 'service_use_harmonised', 'service_use_yearly'] as const;

export interface ServiceUseMartsResult {
  built: boolean;
  rows: number;
  cells: number;
  suppressed: number;
  rounds: number;
  boundaryYear: number | null;
}


/**
 * Rebuilds the service-use marts from staging.stg_service_use__monthly: the yearly staging tables by age group and
 * without (intermediate.int_service_use__by_age, __yearly; always), the unsuppressed cube (staging), primary
 * and complementary suppression until no published line has exactly one withheld cell, then the published tables.
 * Needs marts.population_by_area (the marts job builds it first); without it nothing is built and `built` is false.
 * marts.municipality_harmonisation is used when present (else every municipality is its own harmonised unit).
 */
export async function buildServiceUseMarts(
  conn: DuckDBConnection,
  config: ResolvedServiceUse,
  log: Logger,
): Promise<ServiceUseMartsResult> {
  await prepareServiceUseStaging(conn, config);
  // The yearly tables the foresight projection reads (with and without age); they need no population.
  await runSqlFile(conn, 'intermediate/int_service_use__by_age.sql');
  await runSqlFile(conn, 'intermediate/int_service_use__yearly.sql');
  if (!(await tableExists(conn, 'marts', 'population_by_area'))) {
    log.warn('service-use marts not built yet: marts.population_by_area is missing (the marts job builds both)');
    return { built: false, rows: 0, cells: 0, suppressed: 0, rounds: 0, boundaryYear: null };
  }
  await conn.run('drop table if exists temp.su_municipality_map');
  let boundaryYear: number | null = null;
  if (await tableExists(conn, 'marts', 'municipality_harmonisation')) {
    const [row] = await queryRows<{ y: number | null }>(
      conn,
      `select coalesce(cast($year as integer), max(boundary_year)) as y from marts.municipality_harmonisation`,
      { year: config.boundaryYear },
    );
    boundaryYear = row?.y ?? null;
    await conn.run(
      `create temp table su_municipality_map as
       select municipality_code, min(harmonised_code) as harmonised_code
       from marts.municipality_harmonisation where boundary_year = $year
       group by municipality_code`,
      { year: boundaryYear },
    );
  } else {
    log.warn('marts.municipality_harmonisation is missing: service-use harmonised mart uses the codes as they are');
    const [row] = await queryRows<{ y: number | null }>(conn, 'select max(year) as y from staging.stg_statfi__municipality_years');
    boundaryYear = config.boundaryYear ?? row?.y ?? null;
    await conn.run(`create temp table su_municipality_map as
      select distinct municipality_code, municipality_code as harmonised_code from staging.stg_service_use__monthly`);
  }
  // Municipalities of the data that the map does not know stay as they are.
  await conn.run(`insert into temp.su_municipality_map
    select distinct municipality_code, municipality_code from staging.stg_service_use__monthly
    where municipality_code not in (select municipality_code from temp.su_municipality_map)`);

  const started = Date.now();
  await runSqlFile(conn, 'intermediate/int_service_use__cells.sql', { threshold: config.suppressionThreshold });
  await runSqlFile(conn, 'intermediate/int_service_use__area_population.sql');
  await runSqlFile(conn, 'intermediate/int_service_use__suppression_lines.sql');
  const cubeMs = Date.now() - started;
  const rounds = await suppressComplementary(conn);
  const orgCellsAdded = await protectOrgCells(conn, config.suppressionThreshold, log);
  const suppressionMs = Date.now() - started - cubeMs;
  await runSqlFile(conn, 'marts/service_use_summary.sql');
  await runSqlFile(conn, 'marts/service_use_monthly.sql');
  await runSqlFile(conn, 'marts/service_use_harmonised.sql', { boundary_year: boundaryYear });
  await runSqlFile(conn, 'marts/service_use_yearly.sql');
  const [stats] = await queryRows<{ cells: bigint; suppressed: bigint; rows: bigint }>(
    conn,
    `select count(*) as cells, count(*) filter (where suppressed) as suppressed,
            (select count(*) from marts.service_use_summary) + (select count(*) from marts.service_use_harmonised) as rows
     from intermediate.int_service_use__cells`,
  );
  await conn.run('drop table if exists temp.su_municipality_map; drop table if exists temp.int_service_use__suppression_lines');
  const result = {
    built: true,
    rows: Number(stats?.rows ?? 0),
    cells: Number(stats?.cells ?? 0),
    suppressed: Number(stats?.suppressed ?? 0),
    rounds,
    boundaryYear,
  };
  log.info('service-use marts built', {
    cells: result.cells,
    suppressed: result.suppressed,
    suppression_rounds: rounds,
    scorecard_cells_added: orgCellsAdded,
    boundary_year: boundaryYear,
    cube_ms: cubeMs,
    suppression_ms: suppressionMs,
    duration_ms: Date.now() - started,
  });
  return result;
}
