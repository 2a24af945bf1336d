import { buildServiceUseMarts } from '../service-use/marts.js';
import { buildPlanMarts } from '../plan/marts.js';
import { buildScorecardMarts } from './scorecard.js';
import { buildForesightMarts, readForesightInputs } from '../foresight/build.js';
import { queryRows, runSqlFile } from '../warehouse.js';
import { checkContracts } from '../contracts/check.js';
import { buildOrder, readModels } from '../models/graph.js';
import { ensurePopulationStaging } from '../population/import.js';
import { loadContracts } from '../contracts/contract.js';
import { ensureRoadmapStaging } from '../roadmap/load.js';
import type { Job } from './job.js';

/** The marts built from SQL alone (in the order their SQL reads each other). Each is one file in pipelines/sql/marts. */
export const MARTS = [
  // Region and organisation model (docs/regions.md); harmonised marts of other sources build on these.
  'municipality_code_map',
  'municipality_harmonisation',
  'regions',
  'region_memberships',
  'organisations',
  'organisation_members_by_year',
  // THL Sotkanet (docs/sotkanet.md).
  'sotkanet_indicators',
  'sotkanet_values',
  'sotkanet_values_by_organisation',
  'municipal_counts_harmonised',
  'population_by_area',
  'population_by_age',
  'municipality_grid',
] as const;

/**
 * Conformed dimensions, built after the foresight marts (the pilot area comes with the scenario configuration):
 * marts.dim_area, every area under one id with the ids the other marts use for it.
 */
export const CONFORMED_MARTS = ['dim_area'] as const;

/** The roadmap (docs/roadmap.md), after the scorecard marts (target states read marts.dual_model). */
export const ROADMAP_MARTS = ['objectives', 'initiatives', 'milestones', 'target_states'] as const;

/** Data status for the data staff's page (reports/tila.md), built last: runs, rejects (counts only), sources. */
export const STATUS_MARTS = ['data_status_runs', 'data_status_rejects', 'data_status_warnings', 'data_status_sources'] as const;

/** Builds the given marts in the order their SQL reads each other (pipelines/models/graph.ts); returns their rows. */
async function buildMarts(conn: Parameters<Job['run']>[0]['conn'], marts: readonly string[]): Promise<number> {
  const files = new Set(marts.map((m) => `marts/${m}.sql`));
  const order = buildOrder(readModels().filter((m) => files.has(m.file))).map((m) => m.file.slice('marts/'.length, -'.sql'.length));
  let rows = 0;
  for (const mart of order) {
    await runSqlFile(conn, `marts/${mart}.sql`);
    const [row] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from marts.${mart}`);
    rows += Number(row?.n ?? 0);
  }
  return rows;
}

/** Rebuilds every mart from staging. Marts are the only tables Evidence reads. */
export const martsJob: Job = {
  name: 'marts',
  description: `staging → ${[...MARTS, ...CONFORMED_MARTS, ...ROADMAP_MARTS, ...STATUS_MARTS].map((m) => `marts.${m}`).join(', ')}, service-use, scorecard, commentary and foresight marts`,
  dependsOn: ['regions', 'organisation', 'sotkanet', 'service-use', 'unit-data', 'population', 'plan', 'roadmap', 'commentary'],
  async run({ conn, config, log, runId }) {
    // The contracts beside the marts' SQL, read (and validated) before any work: a broken file fails at once.
    const contracts = loadContracts();
    await ensurePopulationStaging(conn, config.population, runId);
    let rowsLoaded = await buildMarts(conn, MARTS);
    // Service use (docs/service-use.md): cube, small-number protection (iterative), then its marts; needs the above.
    rowsLoaded += (await buildServiceUseMarts(conn, config.serviceUse, log, config.disclosure.suppressionThreshold)).rows;
    // Plans against the published service use (docs/plan.md): agreements, budgets, year-end forecast.
    await buildPlanMarts(conn);
    // Balanced Scorecard (docs/scorecard.md): registry + targets → marts.scorecard, perspective_scores, dual_model,
    // indicator_dictionary, scorecard_completeness, unit_data_monthly; needs every mart above.
    rowsLoaded += await buildScorecardMarts({ conn, config, log });
    // Commentary and the board report (docs/commentary.md): the newest comment per key, the report's indicators.
    await runSqlFile(conn, 'staging/stg_commentary__comments.sql');
    rowsLoaded += await buildMarts(conn, ['commentary', 'board_report_indicators']);
    // Foresight (docs/foresight.md): service-need projection and the scenarios; needs population by age, the
    // service-use staging and the organisation marts above.
    const foresightInputs = readForesightInputs(config.foresight, config.population.mainVariant);
    rowsLoaded += (await buildForesightMarts(conn, foresightInputs, log, config.disclosure.suppressionThreshold)).rows;
    // The scenarios on the dual model's change plane (docs/dual-model.md): needs the scorecard and foresight marts.
    rowsLoaded += await buildMarts(conn, ['scenario_dual_model']);
    rowsLoaded += await buildMarts(conn, CONFORMED_MARTS);
    await ensureRoadmapStaging(conn);
    rowsLoaded += await buildMarts(conn, ROADMAP_MARTS);
    // data_status_runs became a view (its SQL file says why): a warehouse made before holds it as a table.
    const [oldTable] = await queryRows<{ n: bigint }>(
      conn,
      `select count(*) as n from duckdb_tables() where schema_name = 'marts' and table_name = 'data_status_runs'`,
    );
    if (Number(oldTable?.n ?? 0) > 0) await conn.run('drop table marts.data_status_runs');
    rowsLoaded += await buildMarts(conn, STATUS_MARTS);
    // Every mart against its contract (docs/marts.md) before the job commits: a broken one fails the run, rolls the
    // marts back to the previous build and leaves the published state as it was.
    await checkContracts(conn, contracts);
    log.info('mart contracts hold', { marts: contracts.size });
    return { rowsRead: 0, rowsLoaded, rowsRejected: 0 };
  },
};
