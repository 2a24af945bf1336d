/**
 * Writes the validated foresight configuration into staging tables (pipelines/sql/staging/
 * stg_config__<table>.sql): settings, rate assumptions, national age profiles, the pilot area and the
 * scenarios flattened to rows. Configuration, not bulk data: a few hundred rows, passed to DuckDB as one JSON
 * document per table and unnested there.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { insertRows, type Row } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';
import { SERVICE_TYPES } from '../settings/vocabulary.js';
import { AGE_GROUPS, type NationalRatesFile, type ResolvedForesight, type ScenariosFile } from '../settings/foresight.js';


export interface ForesightInputs {
  settings: ResolvedForesight;
  national: NationalRatesFile;
  scenarios: ScenariosFile;
  /** The population projection variant of the central line (population.main_variant). */
  mainVariant: string;
}

/** The scenarios as rows: the baseline ('nykymalli', sort 0) first. Pure. */
/** A scenario's texts in the three languages: a missing translation is the Finnish text. */
const texts = (s: { name_fi: string; description_fi: string; name_sv?: string; name_en?: string; description_sv?: string; description_en?: string }) => ({
  name_fi: s.name_fi,
  description_fi: s.description_fi,
  name_sv: s.name_sv ?? s.name_fi,
  name_en: s.name_en ?? s.name_fi,
  description_sv: s.description_sv ?? s.description_fi,
  description_en: s.description_en ?? s.description_fi,
});

export function scenarioRows(file: ScenariosFile): {
  scenarios: Row[];
  specialties: Row[];
  travel: Row[];
} {
  const baseline: Row = {
    scenario_code: 'nykymalli',
    ...texts(file.baseline),
    sort_order: 0,
    start_year: 0,
    ramp_years: 1,
    fixed_cost_eur: 0,
    hospital_unit_cost_change: 0,
    move_share: 0,
    move_unit_cost_eur: null,
    bed_day_change: 0,
    cost_per_bed_day_eur: 0,
  };
  const scenarios: Row[] = [baseline];
  const specialties: Row[] = [];
  const travel: Row[] = [];
  const costs = file.travel?.cost_per_visit_eur ?? {};
  const classOf = (map: Record<string, string> | undefined, m: string) => (map ? (map[m] ?? map.default ?? null) : null);
  const travelRows = (code: string, local: Record<string, string> | undefined) => {
    for (const m of new Set(file.area.municipalities)) {
      const hospitalClass = classOf(file.travel?.hospital, m);
      const localClass = classOf(local, m) ?? hospitalClass;
      travel.push({
        scenario_code: code,
        municipality_code: m,
        hospital_class: hospitalClass,
        hospital_cost_eur: hospitalClass ? (costs[hospitalClass] ?? 0) : 0,
        local_class: localClass,
        local_cost_eur: localClass ? (costs[localClass] ?? 0) : 0,
      });
    }
  };
  travelRows('nykymalli', undefined);
  file.scenarios.forEach((s, i) => {
    scenarios.push({
      scenario_code: s.code,
      ...texts(s),
      sort_order: i + 1,
      start_year: s.start_year,
      ramp_years: s.ramp_years,
      fixed_cost_eur: s.fixed_cost_eur_per_year,
      hospital_unit_cost_change: s.hospital_unit_cost_change,
      move_share: s.move_outpatient?.share ?? 0,
      move_unit_cost_eur: s.move_outpatient?.unit_cost_eur ?? null,
      bed_day_change: s.bed_days?.change ?? 0,
      cost_per_bed_day_eur: s.bed_days?.cost_per_bed_day_eur ?? 0,
    });
    const moves = new Set(s.move_outpatient?.specialties ?? []);
    const beds = new Set(s.bed_days?.specialties ?? []);
    for (const sp of new Set([...moves, ...beds]))
      specialties.push({ scenario_code: s.code, specialty_code: sp, moves: moves.has(sp), bed_days: beds.has(sp) });
    travelRows(s.code, s.move_outpatient?.travel);
  });
  return { scenarios, specialties, travel };
}

/** The foresight configuration in staging, one file a table (pipelines/sql/staging/stg_config__<table>.sql). */
export const FORESIGHT_CONFIG_FILES = ['foresight_settings', 'rate_assumptions', 'national_rates', 'scenario_area', 'scenarios',
  'scenario_specialties', 'scenario_travel'].map((t) => `staging/stg_config__${t}.sql`);

/** Replaces the foresight configuration tables in staging. */
export async function loadForesightConfig(conn: DuckDBConnection, inputs: ForesightInputs): Promise<void> {
  const { settings, national, scenarios: file } = inputs;
  await runSqlModels(conn, FORESIGHT_CONFIG_FILES);
  await insertRows(conn, 'staging.stg_config__foresight_settings', [
    {
      base_year: settings.baseYear,
      horizon: settings.horizon,
      age_profile: settings.ageProfile,
      main_rate_assumption: settings.mainRateAssumption,
      main_variant: inputs.mainVariant,
    },
  ]);
  await insertRows(
    conn,
    'staging.stg_config__rate_assumptions',
    settings.rateAssumptions.flatMap((a) =>
      SERVICE_TYPES.map((t) => ({
        rate_assumption: a.code,
        label_fi: a.labelFi,
        service_type: t,
        annual_change: a.byServiceType[t] ?? a.annualChange,
      })),
    ),
  );
  const nationalRows: Row[] = [];
  for (const [type, bySpecialty] of Object.entries(national.rates)) {
    for (const [sp, rates] of Object.entries(bySpecialty ?? {})) {
      AGE_GROUPS.forEach((age, i) =>
        nationalRows.push({ service_type: type, specialty_code: sp === 'default' ? '*' : sp, age_group: age, rate: rates[i] as number }),
      );
    }
  }
  await insertRows(conn, 'staging.stg_config__national_rates', nationalRows);
  await insertRows(
    conn,
    'staging.stg_config__scenario_area',
    [...new Set(file.area.municipalities)].map((m) => ({ area_code: file.area.code, area_name_fi: file.area.name_fi, municipality_code: m })),
  );
  const rows = scenarioRows(file);
  await insertRows(conn, 'staging.stg_config__scenarios', rows.scenarios);
  await insertRows(conn, 'staging.stg_config__scenario_specialties', rows.specialties);
  await insertRows(conn, 'staging.stg_config__scenario_travel', rows.travel);
}
