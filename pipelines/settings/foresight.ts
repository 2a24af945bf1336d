/**
 * Foresight configuration (docs/foresight.md): the `foresight:` section of config/pipeline.yaml, the scenario file
 * (config/scenarios.yaml) and the national age profiles of use (config/national-use-rates.yaml). Validated with zod
 * at the boundary; every problem names the file and the key path.
 */
import { fileProblemsError, parseYamlOrThrow, readConfigText } from '../yaml-file.js';
import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { AGE_GROUPS, SERVICE_TYPES } from './vocabulary.js';

export { AGE_GROUPS } from './vocabulary.js';

const SERVICE_TYPE = z.enum(SERVICE_TYPES);
const code = z.string().trim().min(1).max(40).regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _');
const municipality = z.coerce.string().regex(/^\d{3}$/, 'a three-digit municipality code in quotes, e.g. "072"');
const specialty = z.coerce.string().trim().min(1).max(10);
const share = z.number().min(0).max(1);
const euros = z.number().min(0).finite();

const RateAssumption = z
  .object({
    /** Yearly relative change of every age-specific rate, e.g. -0.01 = 1 % fewer visits per resident each year. */
    annual_change: z.number().min(-0.2).max(0.2).default(0),
    /** Per service type, overriding annual_change. */
    by_service_type: z.record(SERVICE_TYPE, z.number().min(-0.2).max(0.2)).default({}),
    label_fi: z.string().trim().min(1).optional(),
  })
  .strict();

/** The `foresight:` section of config/pipeline.yaml. */
export const ForesightSection = z
  .object({
    horizon: z.number().int().min(2000).max(2100).default(2040),
    base_year: z.number().int().min(2000).max(2100).nullable().default(null),
    age_profile: z.enum(['local', 'national']).default('local'),
    national_rates: z.string().trim().min(1).default('config/national-use-rates.yaml'),
    rate_assumptions: z
      .record(code, RateAssumption)
      .refine((r) => Object.keys(r).length > 0, 'at least one rate assumption')
      .default({ perus: { annual_change: 0, by_service_type: {} } }),
    main_rate_assumption: code.default('perus'),
    scenarios: z.string().trim().min(1).default('config/scenarios.yaml'),
  })
  .strict()
  .refine((s) => s.main_rate_assumption in s.rate_assumptions, {
    message: 'main_rate_assumption must name one of rate_assumptions',
    path: ['main_rate_assumption'],
  })
  .default({});
export type ForesightSection = z.infer<typeof ForesightSection>;

export interface ResolvedForesight {
  horizon: number;
  baseYear: number | null;
  ageProfile: 'local' | 'national';
  nationalRates: string;
  rateAssumptions: { code: string; labelFi: string; annualChange: number; byServiceType: Record<string, number> }[];
  mainRateAssumption: string;
  scenarios: string;
}

export function resolveForesightSection(section: ForesightSection): ResolvedForesight {
  return {
    horizon: section.horizon,
    baseYear: section.base_year,
    ageProfile: section.age_profile,
    nationalRates: fromRoot(section.national_rates),
    rateAssumptions: Object.entries(section.rate_assumptions).map(([c, a]) => ({
      code: c,
      labelFi: a.label_fi ?? c,
      annualChange: a.annual_change,
      byServiceType: a.by_service_type,
    })),
    mainRateAssumption: section.main_rate_assumption,
    scenarios: fromRoot(section.scenarios),
  };
}

export function defaultForesight(): ResolvedForesight {
  return resolveForesightSection(ForesightSection.parse(undefined));
}

// --- config/national-use-rates.yaml ---------------------------------------------------------------------------

const AgeRates = z
  .array(z.number().min(0).finite())
  .length(AGE_GROUPS.length, `one rate per age group (${AGE_GROUPS.length}: ${AGE_GROUPS.join(', ')})`);

export const NationalRatesFile = z
  .object({
    version: z.literal(1),
    source: z.string().trim().min(1),
    unit: z.string().trim().min(1),
    age_groups: z.array(z.string()).refine((g) => g.join() === AGE_GROUPS.join(), `must be exactly ${AGE_GROUPS.join(', ')}`),
    /** Per service type: `default` and optional per-specialty rows. */
    rates: z.record(SERVICE_TYPE, z.object({ default: AgeRates }).catchall(AgeRates)),
  })
  .strict();
export type NationalRatesFile = z.infer<typeof NationalRatesFile>;

// --- config/scenarios.yaml ------------------------------------------------------------------------------------

const DistanceClasses = z.record(z.string().trim().min(1), euros);
/** Distance class of each municipality to a place of care: `default` plus per-municipality exceptions. */
const TravelMap = z
  .object({ default: z.string().trim().min(1) })
  .catchall(z.string().trim().min(1))
  .superRefine((m, ctx) => {
    for (const key of Object.keys(m)) {
      if (key !== 'default' && !/^\d{3}$/.test(key))
        ctx.addIssue({ code: 'custom', path: [key], message: 'keys are "default" or three-digit municipality codes' });
    }
  });

/**
 * A scenario's name and description in Swedish and English (site.language sv / en); optional: without them the
 * Finnish text is shown in every language.
 */
const translations = {
  name_sv: z.string().trim().min(1).optional(),
  name_en: z.string().trim().min(1).optional(),
  description_sv: z.string().trim().min(1).optional(),
  description_en: z.string().trim().min(1).optional(),
};

const Scenario = z
  .object({
    code,
    name_fi: z.string().trim().min(1),
    description_fi: z.string().trim().min(1),
    ...translations,
    start_year: z.number().int().min(2000).max(2100),
    /** Years from start_year to full effect (linear); 1 = full effect in the first year. */
    ramp_years: z.number().int().min(1).max(20).default(1),
    fixed_cost_eur_per_year: euros.default(0),
    move_outpatient: z
      .object({
        specialties: z.array(specialty).min(1),
        share,
        /** Euros per moved visit in the new place; omitted = the hospital's own unit cost (equal costs). */
        unit_cost_eur: euros.nullable().default(null),
        /** Distance class to the place the moved visits go to; omitted = the same as to the hospital. */
        travel: TravelMap.optional(),
      })
      .strict()
      .optional(),
    /** Relative change of the hospital's outpatient unit costs, e.g. -0.05. */
    hospital_unit_cost_change: z.number().min(-0.9).max(2).default(0),
    bed_days: z
      .object({
        specialties: z.array(specialty).min(1),
        /** Relative change of bed days, e.g. -0.08 = 8 % fewer. */
        change: z.number().min(-1).max(1),
        /** Euros per bed day avoided or added (the marginal cost, not the average). */
        cost_per_bed_day_eur: euros,
      })
      .strict()
      .optional(),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;

export const ScenariosFile = z
  .object({
    version: z.literal(1),
    area: z
      .object({
        code,
        name_fi: z.string().trim().min(1),
        municipalities: z.array(municipality).min(1),
        note: z.string().optional(),
      })
      .strict(),
    baseline: z
      .object({ name_fi: z.string().trim().min(1).default('Nykymalli'), description_fi: z.string().trim().min(1), ...translations })
      .strict(),
    travel: z
      .object({
        /** Euros per visit (return trip) by distance class. */
        cost_per_visit_eur: DistanceClasses,
        /** Distance class of each municipality to the hospital. */
        hospital: TravelMap,
      })
      .strict()
      .optional(),
    scenarios: z.array(Scenario).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>(['nykymalli']);
    f.scenarios.forEach((s, i) => {
      if (seen.has(s.code)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'code'], message: `duplicate or reserved code "${s.code}"` });
      seen.add(s.code);
    });
    const classes = new Set(Object.keys(f.travel?.cost_per_visit_eur ?? {}));
    const checkMap = (m: Record<string, string> | undefined, path: (string | number)[]) => {
      if (!m) return;
      if (!f.travel)
        ctx.addIssue({ code: 'custom', path, message: 'a travel map needs travel.cost_per_visit_eur' });
      for (const [k, v] of Object.entries(m))
        if (f.travel && !classes.has(v))
          ctx.addIssue({ code: 'custom', path: [...path, k], message: `unknown distance class "${v}" (known: ${[...classes].join(', ')})` });
    };
    checkMap(f.travel?.hospital, ['travel', 'hospital']);
    f.scenarios.forEach((s, i) => checkMap(s.move_outpatient?.travel, ['scenarios', i, 'move_outpatient', 'travel']));
  });
export type ScenariosFile = z.infer<typeof ScenariosFile>;

export const ForesightConfigError = fileProblemsError('ForesightConfigError', 'foresight configuration in');
export type ForesightConfigError = InstanceType<typeof ForesightConfigError>;

/** Parses a foresight YAML file's text with its schema; problems name the key path. Pure. */
export function parseForesightYaml<T extends z.ZodTypeAny>(schema: T, text: string, file: string): z.infer<T> {
  return parseYamlOrThrow(schema, text, file, ForesightConfigError);
}

export function readYamlWith<T extends z.ZodTypeAny>(schema: T, file: string): z.infer<T> {
  const text = readConfigText(file, ForesightConfigError);
  return parseForesightYaml(schema, text, file);
}
