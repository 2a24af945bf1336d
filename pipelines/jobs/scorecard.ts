import { loadOrganisation } from '../regions/organisation.js';
import { buildScorecard } from '../scorecard/build.js';
import { loadRegistryToStaging } from '../scorecard/load.js';
import { checkSotkanetMeasures, loadRegistry } from '../scorecard/registry.js';
import { loadTargets } from '../scorecard/targets.js';
import { prepareUnitDataStaging } from '../unit-data/import.js';
import { buildPlanMarts } from '../plan/marts.js';
import { tableExists } from '../service-use/import.js';
import type { JobContext } from './job.js';

/**
 * The last step of the `marts` job: the indicator registry and targets (config/indicators.yaml,
 * config/targets.yaml) into staging, then the Balanced-Scorecard marts computed in SQL from the other marts
 * (docs/scorecard.md): marts.scorecard, scorecard_completeness, perspective_scores, dual_model,
 * indicator_dictionary, unit_data_monthly. Returns the number of scorecard rows.
 */
export async function buildScorecardMarts({ conn, config, log }: Pick<JobContext, 'conn' | 'config' | 'log'>): Promise<number> {
  const registry = loadRegistry(config.scorecard.indicators);
  checkSotkanetMeasures(registry, config.sotkanet.indicators.map((i) => i.id));
  const org = loadOrganisation(config.organisation.file);
  const known = new Set<string>([
    ...org.organisations.map((o) => o.code),
    ...org.service_areas.map((a) => a.code),
    ...org.units.map((u) => u.code),
  ]);
  const targets = loadTargets(config.scorecard.targets, registry, known);
  await loadRegistryToStaging(conn, registry, targets);
  await prepareUnitDataStaging(conn);
  // The plan measures read the plan marts (built after the service-use marts); a scorecard built alone builds them.
  if (!(await tableExists(conn, 'marts', 'plan_forecast'))) await buildPlanMarts(conn);
  const { rows } = await buildScorecard(conn, {
    suppressionThreshold: config.disclosure.suppressionThreshold,
    minUnitHtv: config.unitData.minUnitHtv,
  });
  log.info('scorecard marts built', { indicators: registry.indicators.length, targets: targets.length, rows });
  return rows;
}
