/**
 * Builds the scorecard marts (docs/scorecard.md) in SQL: organisations and measures (intermediate.int_scorecard__*),
 * the scorecard rows, then marts.scorecard, scorecard_completeness, perspective_scores, dual_model,
 * indicator_dictionary and unit_data_monthly. The registry and targets must be in staging (load.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, runSqlFile } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';

/** Steps in order; tests start later (`from: 'rows'`) over fixture organisations and measures. */
export const SCORECARD_STEPS = {
  areaMembers: ['intermediate/int_scorecard__area_members.sql'],
  orgs: ['intermediate/int_scorecard__orgs.sql', 'intermediate/int_scorecard__org_ancestors.sql'],
  measures: ['intermediate/int_scorecard__measures.sql'],
  rows: ['intermediate/int_scorecard__rows.sql'],
} as const;

export const SCORECARD_MARTS = ['scorecard', 'scorecard_organisations', 'scorecard_completeness', 'perspective_scores', 'indicator_region_values', 'national_comparison', 'dual_model', 'scorecard_latest', 'scorecard_as_of', 'perspective_scores_as_of', 'dual_model_as_of', 'indicator_dictionary'] as const;

export async function buildScorecard(
  conn: DuckDBConnection,
  opts: { suppressionThreshold: number; minUnitHtv?: number; from?: keyof typeof SCORECARD_STEPS; unitDataMart?: boolean },
): Promise<{ rows: number }> {
  const steps = Object.keys(SCORECARD_STEPS) as (keyof typeof SCORECARD_STEPS)[];
  for (const step of steps.slice(steps.indexOf(opts.from ?? 'areaMembers'))) {
    if (step === 'measures') {
      await runSqlFile(conn, 'intermediate/int_unit_data__staff_withheld.sql', { min_unit_htv: opts.minUnitHtv ?? 10 });
    }
    await runSqlModels(conn, SCORECARD_STEPS[step], step === 'measures' ? { threshold: opts.suppressionThreshold } : undefined);
  }
  for (const mart of SCORECARD_MARTS) await runSqlFile(conn, `marts/${mart}.sql`);
  if (opts.unitDataMart !== false) await runSqlFile(conn, 'marts/unit_data_monthly.sql', { threshold: opts.suppressionThreshold });
  const [row] = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from intermediate.int_scorecard__rows');
  return { rows: Number(row?.n ?? 0) };
}
