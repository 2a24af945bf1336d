/**
 * Loads the validated registry and targets into staging (staging.stg_config__indicators, __targets,
 * __perspective_weights, __dual_model, __dual_model_settings). Configuration, not bulk data: a few dozen rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { runSqlModels } from '../models/build.js';
import { type Indicator, periodStart, type Registry } from './registry.js';
import type { ResolvedTarget } from './targets.js';

/** The formula as text, e.g. `1000 × service_use.outpatient_visits / population.total`. Pure. */
export function formulaText(i: Indicator): string {
  const f = i.formula;
  const factor = f.factor !== 1 ? `${f.factor} × ` : '';
  if (f.measure) return `${factor}${f.measure}`;
  return `${factor}${f.numerator}${f.denominator ? ` / ${f.denominator}` : ''}`;
}

/** The registry and targets in staging, one file a table (pipelines/sql/staging/stg_config__<table>.sql). */
export const SCORECARD_CONFIG_FILES = ['indicators', 'targets', 'perspective_weights', 'dual_model', 'dual_model_settings'].map(
  (t) => `staging/stg_config__${t}.sql`,
);

export async function loadRegistryToStaging(conn: DuckDBConnection, registry: Registry, targets: readonly ResolvedTarget[]): Promise<number> {
  await runSqlModels(conn, SCORECARD_CONFIG_FILES);
  let n = 0;
  for (const [sort, i] of registry.indicators.entries()) {
    const tl = i.traffic_light ?? registry.trafficLight;
    await conn.run(
      `insert into staging.stg_config__indicators values (
         $id, $name_fi, $name_sv, $name_en, $description, $perspective, $level, $levels,
         $is_strategic, $is_implementation, $is_operational, $unit, $decimals, $numerator, $denominator, $factor,
         $formula_text, $polarity, $period_type, string_split($org_types, ','), $source, $attribution, $owner,
         $trend_periods, $trend_flat_pct, $tl_mode, $tl_yellow, $weight, cast($expected_from as date),
         cast($expected_to as date), $allowed_min, $allowed_max, $is_demo, $note, $sort, $file, cast($series_end as date))`,
      {
        id: i.id,
        name_fi: i.name_fi,
        name_sv: i.name_sv,
        name_en: i.name_en,
        description: i.description,
        perspective: i.perspective,
        level: i.levels[0] as string,
        levels: i.levels.join(','),
        is_strategic: i.levels.includes('strategic'),
        is_implementation: i.levels.includes('implementation'),
        is_operational: i.levels.includes('operational'),
        unit: i.unit,
        decimals: i.decimals,
        numerator: (i.formula.measure ?? i.formula.numerator) as string,
        denominator: i.formula.denominator ?? null,
        factor: i.formula.factor,
        formula_text: formulaText(i),
        polarity: i.polarity,
        period_type: i.period_type,
        org_types: i.org_types.join(','),
        source: i.source,
        attribution: i.attribution,
        owner: i.owner,
        trend_periods: i.trend.periods,
        trend_flat_pct: i.trend.flat_pct,
        tl_mode: tl.mode,
        tl_yellow: tl.yellow,
        weight: i.weight,
        expected_from: periodStart(i.quality.expected_periods.from),
        expected_to: i.quality.expected_periods.to === null ? null : periodStart(i.quality.expected_periods.to),
        allowed_min: i.quality.allowed_range.min,
        allowed_max: i.quality.allowed_range.max,
        is_demo: i.is_demo,
        note: i.note ?? null,
        sort,
        file: registry.file,
        series_end: i.quality.series_end === null ? null : periodStart(i.quality.series_end),
      },
    );
    n++;
  }
  for (const t of targets) {
    await conn.run(
      `insert into staging.stg_config__targets values ($indicator, $org, $org_type, cast($from as date), cast($to as date), $low, $high, $note, $entry)`,
      { indicator: t.indicatorId, org: t.orgId, org_type: t.orgType, from: t.periodFrom, to: t.periodTo, low: t.low, high: t.high, note: t.note, entry: t.entry },
    );
    n++;
  }
  for (const [perspective, weight] of Object.entries(registry.perspectiveWeights)) {
    await conn.run(`insert into staging.stg_config__perspective_weights values ($p, $w)`, { p: perspective, w: weight as number });
  }
  const dm = registry.dualModel;
  for (const [component, list] of [['welfare', dm.welfare], ['cost', dm.cost]] as const) {
    for (const c of list) {
      await conn.run(`insert into staging.stg_config__dual_model values ($component, $indicator, $weight, $need)`, {
        component,
        indicator: c.indicator,
        weight: c.weight,
        need: c.need_adjusted,
      });
    }
  }
  await conn.run(
    `insert into staging.stg_config__dual_model_settings values (string_split($org_types, ','), list_filter(string_split($need, ','), x -> x <> ''), $spread, $threshold, $change_years, $change_spread)`,
    {
      org_types: dm.org_types.join(','),
      need: dm.need_index.join(','),
      spread: dm.spread_pct,
      threshold: dm.threshold,
      change_years: dm.change_years,
      change_spread: dm.change_spread_pct,
    },
  );
  return n;
}
