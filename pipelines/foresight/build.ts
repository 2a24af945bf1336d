/**
 * Builds the foresight marts (docs/foresight.md): the service-need projection with its band, the age structure
 * behind it, and the scenarios against the baseline. SQL does the arithmetic (pipelines/sql/intermediate/int_foresight__*,
 * pipelines/sql/marts/); this file orders the steps, checks the inputs, and runs complementary suppression over
 * the projection cells with the same algorithm as the service-use marts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../log.js';
import { WHOLE_CELL } from '../service-use/suppression.js';
import { withholdComplementary } from '../service-use/withhold-complementary.js';
import { tableExists } from '../service-use/import.js';
import { querySqlFile, runSqlFile } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';
import {
  ForesightConfigError,
  NationalRatesFile,
  readYamlWith,
  type ResolvedForesight,
  ScenariosFile,
} from '../settings/foresight.js';
import { type ForesightInputs, loadForesightConfig } from './load.js';

/** The folder of the step's own queries and statements (pipelines/sql/steps/foresight/). */
export const STEP = 'steps/foresight';

/** The published foresight marts, in build order (pipelines/sql/marts/<name>.sql). */
export const FORESIGHT_MARTS = [
  'service_need_projection',
  'foresight_area_members',
  'foresight_age_structure',
  'foresight_settings',
  'scenario_definitions',
  'scenario_results',
] as const;

/** Reads and validates the national rates and the scenarios file named by the `foresight:` section. */
export function readForesightInputs(settings: ResolvedForesight, mainVariant: string): ForesightInputs {
  return {
    settings,
    national: readYamlWith(NationalRatesFile, settings.nationalRates),
    scenarios: readYamlWith(ScenariosFile, settings.scenarios),
    mainVariant,
  };
}

export interface ForesightResult {
  built: boolean;
  rows: number;
  baseYear: number | null;
  cells: number;
  suppressed: number;
}

const REQUIRED = [
  ['intermediate', 'int_service_use__yearly', 'the service-use marts'],
  ['intermediate', 'int_service_use__by_age', 'the service-use marts'],
  ['staging', 'stg_service_use__monthly', 'the service-use job'],
  ['marts', 'organisation_members_by_year', 'the marts job'],
] as const;

/** Complementary suppression over the projection cells and their lines; returns the cells it withheld. */
async function suppressComplementary(conn: DuckDBConnection): Promise<number> {
  const { withheld } = await withholdComplementary(conn, {
    cells: `select cast(protected_n as double), non_zero, case when suppressed then ${WHOLE_CELL} else 0 end
      from intermediate.int_foresight__cells order by cell_id`,
    lines: `select cast(line_id as double), cast(cell_id - 1 as integer), is_total
      from temp.int_foresight__suppression_lines order by line_id, cell_id`,
    equations: 'select group_id, equation_id, cell, coef from temp.int_foresight__equations order by group_id, equation_id',
    apply: `update intermediate.int_foresight__cells set suppressed = true, suppression = 'complementary'
      where cell_id in (select cell_id from temp.withheld_cells)`,
  });
  return withheld;
}

/**
 * Loads the foresight configuration and rebuilds the foresight marts. Without population by age or without a complete
 * year of service use the marts are built empty (so that the pages still build and say there is nothing to show) and
 * `built` is false; without the service-use staging (a bare warehouse) nothing is built.
 */
export async function buildForesightMarts(
  conn: DuckDBConnection,
  inputs: ForesightInputs,
  log: Logger,
  threshold = 5,
): Promise<ForesightResult> {
  const none: ForesightResult = { built: false, rows: 0, baseYear: null, cells: 0, suppressed: 0 };
  await loadForesightConfig(conn, inputs);
  for (const [schema, table, builtBy] of REQUIRED) {
    if (!(await tableExists(conn, schema, table))) {
      log.warn(`foresight marts not built: ${schema}.${table} is missing (${builtBy} makes it)`);
      return none;
    }
  }
  const [population] = await querySqlFile<{ n: bigint }>(conn, `${STEP}/population_by_age_rows.sql`);
  const hasPopulation = Number(population?.n ?? 0) > 0;
  if (!hasPopulation)
    log.warn('foresight: no population by age (the population job loads it from population.sources); the foresight marts are empty');
  const unknown = await querySqlFile<{ scenario_code: string; specialty_code: string }>(conn, `${STEP}/unknown_scenario_specialties.sql`);
  if (unknown.length) {
    throw new ForesightConfigError(
      inputs.settings.scenarios,
      unknown.map((u) => `scenarios (${u.scenario_code}): unknown specialty code "${u.specialty_code}" (config/specialties.csv)`),
    );
  }
  await runSqlFile(conn, 'intermediate/int_foresight__settings.sql');
  const [settings] = await querySqlFile<{ base_year: number | null; last_history_year: number | null }>(conn, `${STEP}/projection_inputs.sql`);
  if (settings?.base_year == null) {
    log.warn('foresight: no year with 12 months of service use (or set foresight.base_year); the foresight marts are empty');
  } else if (settings.base_year > inputs.settings.horizon) {
    throw new Error(
      `foresight.horizon ${inputs.settings.horizon} (config/pipeline.yaml) is before the base year ${settings.base_year}`,
    );
  }
  await runSqlFile(conn, 'intermediate/int_foresight__population.sql');
  await runSqlModels(conn, ['intermediate/int_foresight__age_profile.sql', 'intermediate/int_foresight__profile_choice.sql']);
  await runSqlFile(conn, 'intermediate/int_foresight__projection.sql');
  const [gaps] = await querySqlFile<{ missing: bigint; last: number | null }>(conn, `${STEP}/projection_gaps.sql`);
  if (hasPopulation && settings?.base_year != null && (gaps?.last == null || gaps.last < inputs.settings.horizon))
    log.warn('foresight: the population by age ends before the horizon; the projection stops there', {
      last_population_year: gaps?.last ?? null,
      horizon: inputs.settings.horizon,
    });
  if (hasPopulation && Number(gaps?.missing ?? 0) > 0)
    log.warn('foresight: municipalities with service use but no population by age are not projected', {
      municipalities: Number(gaps?.missing),
    });
  await runSqlFile(conn, 'intermediate/int_foresight__areas.sql');
  await runSqlFile(conn, 'intermediate/int_foresight__area_projection.sql');
  await runSqlFile(conn, 'intermediate/int_foresight__cells.sql', { threshold });
  await runSqlFile(conn, 'intermediate/int_foresight__suppression_lines.sql');
  await runSqlFile(conn, 'intermediate/int_foresight__equations.sql');
  const complementary = await suppressComplementary(conn);
  await runSqlFile(conn, 'intermediate/int_foresight__scenarios.sql');
  for (const mart of FORESIGHT_MARTS) await runSqlFile(conn, `marts/${mart}.sql`);
  await runSqlFile(conn, `${STEP}/foresight_cleanup.sql`);
  const [stats] = await querySqlFile<{ rows: bigint; cells: bigint; suppressed: bigint }>(conn, `${STEP}/foresight_counts.sql`);
  const result = {
    built: Number(stats?.cells ?? 0) > 0,
    rows: Number(stats?.rows ?? 0),
    baseYear: settings?.base_year ?? null,
    cells: Number(stats?.cells ?? 0),
    suppressed: Number(stats?.suppressed ?? 0),
  };
  log.info(result.built ? 'foresight marts built' : 'foresight marts built empty', {
    base_year: result.baseYear,
    horizon: inputs.settings.horizon,
    cells: result.cells,
    suppressed: result.suppressed,
    complementary,
  });
  return result;
}
