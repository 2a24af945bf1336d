/**
 * The graph the `marts` job builds (pipelines/models/build.ts runs it): every SQL file of pipelines/sql/marts/ and
 * intermediate/int_scorecard__area_members.sql as a node of its own, and the steps that stay TypeScript as nodes
 * with their SQL files, sources, configuration files and parameters declared. The build order is read from what
 * each node reads; no list here says which mart comes first.
 */
import type { ResolvedConfig } from '../settings/pipeline.js';
import type { Logger } from '../log.js';
import { readModels } from '../models/graph.js';
import { type GraphNode, sqlNode, type StepSpec, stepNode } from '../models/build.js';
import { buildServiceUseMarts } from '../service-use/marts.js';
import { buildPlanMarts, PLAN_FORECAST_FILES, PLAN_MONTHS_FILES, PLAN_UNIT_FILES } from '../plan/marts.js';
import { SCORECARD_CONFIG_FILES } from '../scorecard/load.js';
import { FORESIGHT_CONFIG_FILES } from '../foresight/load.js';
import { buildForesightMarts, readForesightInputs } from '../foresight/build.js';
import { buildScorecardMarts } from './scorecard.js';

const intermediate = (...names: string[]): string[] => names.map((n) => `intermediate/int_${n}.sql`);
const marts = (...names: string[]): string[] => names.map((n) => `marts/${n}.sql`);

/** The TypeScript steps of the marts job, each with what it runs and reads. */
function steps(config: ResolvedConfig, log: Logger): StepSpec[] {
  const threshold = config.disclosure.suppressionThreshold;
  return [
    // Service use (docs/service-use.md): the cube, the disclosure step (complementary suppression with the attacker,
    // docs/disclosure.md), then its marts.
    {
      name: 'service-use',
      files: [
        'staging/stg_service_use__monthly.sql',
        'staging/stg_service_use__specialties.sql',
        ...intermediate('service_use__by_age', 'service_use__yearly', 'service_use__cells', 'service_use__area_population',
          'service_use__suppression_lines', 'service_use__org_cells', 'service_use__org_lines', 'service_use__county_cells'),
        ...marts('service_use_summary', 'service_use_monthly', 'service_use_harmonised', 'service_use_yearly'),
        // its own statements and queries (temp tables, counts); the `.none` fallbacks are for a run without the marts job
        ...['boundary_year', 'key_last_year', 'su_municipality_map', 'su_municipality_map.unharmonised', 'su_organisers', 'su_org_index',
          'su_line_offset', 'service_use_marts_counts', 'su_cleanup'].map((f) => `steps/service_use/${f}.sql`),
      ],
      sources: ['pipelines/service-use/marts.ts', 'pipelines/service-use/withhold-complementary.ts', 'pipelines/service-use/settle-part.ts',
        'pipelines/service-use/settle-parts.ts', 'pipelines/service-use/suppression.ts'],
      inputFiles: [config.serviceUse.specialties, config.serviceUse.aliases],
      reads: ['marts.population_by_area', 'marts.municipality_harmonisation', 'staging.stg_config__organisations', 'staging.region_settings', 'marts.organisation_members_by_year',
        'intermediate.int_scorecard__area_members'],
      params: { serviceUse: config.serviceUse, threshold },
      run: async (conn) => void (await buildServiceUseMarts(conn, config.serviceUse, log, threshold)),
    },
    // Plans against the published service use (docs/plan.md): agreements, budgets, year-end forecast.
    {
      name: 'plan',
      files: ['staging/stg_plan__agreements.sql', 'staging/stg_plan__budgets.sql', 'staging/stg_unit_data__monthly.sql',
        ...PLAN_FORECAST_FILES, ...PLAN_MONTHS_FILES, ...PLAN_UNIT_FILES,
        ...marts('plan_vs_actual_monthly', 'plan_forecast', 'budget_vs_actual')],
      sources: ['pipelines/plan/marts.ts', 'pipelines/plan/specialty-groups.ts'],
      creates: ['staging.stg_config__specialty_groups'],
      reads: ['marts.service_use_summary', 'marts.service_use_yearly', 'staging.stg_config__organisations',
        'staging.stg_config__service_areas', 'intermediate.int_scorecard__area_members'],
      run: (conn) => buildPlanMarts(conn),
    },
    // Balanced Scorecard (docs/scorecard.md): the registry and targets into staging, then its marts in SQL.
    {
      name: 'scorecard',
      files: [...SCORECARD_CONFIG_FILES,
        ...intermediate('unit_data__staff_withheld', 'scorecard__orgs', 'scorecard__org_ancestors', 'scorecard__measures', 'scorecard__rows'),
        ...marts('scorecard', 'scorecard_organisations', 'scorecard_completeness', 'perspective_scores', 'indicator_region_values',
          'national_comparison', 'dual_model', 'scorecard_latest', 'scorecard_as_of', 'perspective_scores_as_of',
          'dual_model_as_of', 'indicator_dictionary', 'unit_data_monthly')],
      sources: ['pipelines/jobs/scorecard.ts', 'pipelines/scorecard/build.ts', 'pipelines/scorecard/load.ts',
        'pipelines/scorecard/registry.ts', 'pipelines/scorecard/targets.ts'],
      inputFiles: [config.scorecard.indicators, config.scorecard.targets, config.organisation.file],
      reads: ['staging.stg_unit_data__monthly', 'marts.plan_forecast', 'intermediate.int_scorecard__area_members'],
      params: { threshold, minUnitHtv: config.unitData.minUnitHtv, sotkanet: config.sotkanet.indicators.map((i) => i.id) },
      run: async (conn) => void (await buildScorecardMarts({ conn, config, log })),
    },
    // Foresight (docs/foresight.md): the service-need projection, its suppression, and the scenarios.
    {
      name: 'foresight',
      files: [...FORESIGHT_CONFIG_FILES,
        ...intermediate('foresight__settings', 'foresight__population', 'foresight__age_profile', 'foresight__profile_choice', 'foresight__projection',
          'foresight__areas', 'foresight__area_projection', 'foresight__cells', 'foresight__suppression_lines',
          'foresight__equations', 'foresight__scenarios'),
        ...marts('service_need_projection', 'foresight_area_members', 'foresight_age_structure', 'foresight_settings',
          'scenario_definitions', 'scenario_results'),
        ...['population_by_age_rows', 'unknown_scenario_specialties', 'projection_inputs', 'projection_gaps', 'foresight_counts',
          'foresight_cleanup'].map((f) => `steps/foresight/${f}.sql`)],
      sources: ['pipelines/foresight/build.ts', 'pipelines/foresight/load.ts', 'pipelines/service-use/withhold-complementary.ts'],
      inputFiles: [config.foresight.nationalRates, config.foresight.scenarios],
      reads: ['intermediate.int_service_use__yearly', 'intermediate.int_service_use__by_age', 'staging.stg_service_use__monthly',
        'marts.organisation_members_by_year', 'staging.stg_population__by_age', 'staging.stg_service_use__specialties'],
      params: { foresight: config.foresight, mainVariant: config.population.mainVariant, threshold },
      run: async (conn) => {
        const inputs = readForesightInputs(config.foresight, config.population.mainVariant);
        await buildForesightMarts(conn, inputs, log, threshold);
      },
    },
  ];
}

/** SQL files outside marts/ that the marts job builds as nodes of their own (every step reads them). */
const OWN_NODES = [
  'intermediate/int_municipality__latest_names.sql',
  'intermediate/int_roadmap__name_lists.sql',
  'intermediate/int_scorecard__area_members.sql',
  'staging/stg_commentary__comments.sql',
];

/** Every node of the marts job: the steps, and each SQL file of marts/ no step runs as a node of its own. */
export function martGraph(config: ResolvedConfig, log: Logger): GraphNode[] {
  const models = readModels();
  const specs = steps(config, log);
  const inSteps = new Set(specs.flatMap((s) => s.files));
  const own = models.filter((m) => (m.file.startsWith('marts/') || OWN_NODES.includes(m.file)) && !inSteps.has(m.file));
  return [...own.map((m) => sqlNode(m)), ...specs.map((s) => stepNode(models, s))];
}
