/**
 * The indicator registry (config/indicators.yaml): what each scorecard number means, how it is computed from mart
 * measures (numerator / denominator × factor, like DHIS2, or one measure directly), which way is good, who owns it
 * and where it comes from; plus the perspective weights and the dual-model configuration. Parsing and validation
 * are pure; every error names the file, the indicator id and the field.
 */
import { fileProblemsError, parseYamlWith, readConfigText } from '../yaml-file.js';
import { z } from 'zod';
// The perspectives (and their Finnish labels) are defined once, beside the default Sotkanet indicators.
import { PERSPECTIVES, type Perspective } from '../settings/sotkanet-indicators.js';

export const LEVELS = ['strategic', 'implementation', 'operational'] as const;
export const POLARITIES = ['higher_is_better', 'lower_is_better', 'target_band'] as const;
export const PERIOD_TYPES = ['year', 'quarter', 'month', 'week'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const ORG_TYPES = ['wellbeing_county', 'collaboration_area', 'sub_area', 'municipality', 'service_area', 'unit'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/**
 * A measure id names one series of the measure layer (intermediate.int_scorecard__measures, built by
 * pipelines/sql/intermediate/int_scorecard__measures.sql): `sotkanet.<indicator id>` (Sotkanet's primary value),
 * `sotkanet_abs.<id>` (its absolute count), `coverage.sotkanet_present|expected`, `population.total`,
 * `service_use.<measure>`, `unit.<measure>`, `plan.<measure>` (agreements and budgets, docs/plan.md).
 */
export const MEASURE_FAMILIES = ['sotkanet', 'sotkanet_abs', 'coverage', 'population', 'service_use', 'unit', 'plan'] as const;
export const MeasureId = z
  .string()
  .regex(
    /^(sotkanet|sotkanet_abs)\.\d+$|^(population|coverage|service_use|unit|plan)\.[a-z0-9_]+$/,
    'a measure id such as sotkanet.1073, population.total, service_use.outpatient_visits or unit.sickness_absence_days',
  );

/**
 * The measures of the fixed families (pipelines/sql/intermediate/int_scorecard__measures.sql makes exactly these);
 * Sotkanet measures exist for every loaded Sotkanet indicator (checked against the configuration by
 * checkSotkanetMeasures).
 */
export const KNOWN_MEASURES: Record<'population' | 'coverage' | 'service_use' | 'unit' | 'plan', readonly string[]> = {
  population: ['total'],
  coverage: ['sotkanet_present', 'sotkanet_expected'],
  service_use: ['outpatient_visits', 'inpatient_care_periods', 'bed_days', 'cost_eur'],
  unit: [
    'staff_htv', 'staff_days', 'sickness_absence_days', 'overtime_hours', 'training_days', 'visits', 'queue_length',
    'waiting_weighted_days', 'waiting_weight', 'feedback_points', 'feedback_respondents', 'reported_months', 'expected_months',
  ],
  plan: ['agreement_cost_eur_ytd', 'actual_cost_eur_ytd', 'forecast_cost_eur', 'budget_eur'],
};

function unknownMeasure(id: string): string | null {
  const [family, name] = id.split('.') as [string, string];
  const known = (KNOWN_MEASURES as Record<string, readonly string[]>)[family];
  if (!known || known.includes(name)) return null;
  return `unknown measure ${id} (${family}.* measures: ${known.join(', ')})`;
}

/** A period written as the period type writes it: 2024, 2024-Q1, 2024-03, 2024-W09. */
export const PERIOD_PATTERNS: Record<PeriodType, RegExp> = {
  year: /^\d{4}$/,
  quarter: /^\d{4}-Q[1-4]$/,
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  week: /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/,
};

/** The first day of a period label (pure): 2024 → 2024-01-01, 2024-Q2 → 2024-04-01, 2024-03 → 2024-03-01, 2024-W01 → its Monday. */
export function periodStart(label: string): string {
  const s = String(label).trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) return `${m[1]}-01-01`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(s))) return `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return `${m[1]}-${m[2]}-01`;
  if ((m = /^(\d{4})-W(\d{2})$/.exec(s))) {
    // ISO week: week 1 contains 4 January.
    const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86400000);
    return new Date(monday.getTime() + (Number(m[2]) - 1) * 7 * 86400000).toISOString().slice(0, 10);
  }
  throw new Error(`not a period label: ${s}`);
}

const Text = z.string().trim().min(1);
const Id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and "_", starting with a letter (e.g. net_costs_per_resident)');
const PeriodLabel = z.union([Text, z.number().int().transform(String)]);

const Formula = z
  .object({
    /** One measure as it is (a rate Sotkanet already computed), or the numerator of a ratio. */
    measure: MeasureId.optional(),
    numerator: MeasureId.optional(),
    denominator: MeasureId.optional(),
    /** value = factor × numerator / denominator (1000 for "per 1 000", 100 for a percentage). */
    factor: z.number().positive().default(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (f.measure && (f.numerator || f.denominator)) add('measure', 'give either measure, or numerator (and denominator), not both');
    if (!f.measure && !f.numerator) add('numerator', 'give measure, or numerator (and optionally denominator)');
    if (f.denominator && !f.numerator) add('numerator', 'a denominator needs a numerator');
    for (const key of ['measure', 'numerator', 'denominator'] as const) {
      const id = f[key];
      const problem = id ? unknownMeasure(id) : null;
      if (problem) add(key, problem);
    }
  });

const TrafficLight = z
  .object({
    /** relative: the yellow zone is `yellow` per cent of the target; absolute: `yellow` in the indicator's unit. */
    mode: z.enum(['relative', 'absolute']).default('relative'),
    yellow: z.number().positive().default(10),
  })
  .strict();
export type TrafficLight = z.infer<typeof TrafficLight>;

const Indicator = z
  .object({
    id: Id,
    name_fi: Text,
    name_sv: Text,
    name_en: Text,
    description: Text,
    perspective: z.enum(PERSPECTIVES),
    levels: z.array(z.enum(LEVELS)).min(1),
    unit: Text,
    decimals: z.number().int().min(0).max(6),
    formula: Formula,
    polarity: z.enum(POLARITIES),
    period_type: z.enum(PERIOD_TYPES),
    /** The organisation types the indicator is computed for (its completeness is checked for each). */
    org_types: z.array(z.enum(ORG_TYPES)).min(1),
    source: Text,
    attribution: Text,
    owner: Text,
    /** Trend direction over the last N periods (linear slope); |change| under flat_pct % of the mean is "flat". */
    trend: z.object({ periods: z.number().int().min(2).max(60).default(3), flat_pct: z.number().min(0).default(1) }).strict().default({}),
    traffic_light: TrafficLight.optional(),
    /** Weight of the indicator in its perspective score (0 = shown but not scored). */
    weight: z.number().min(0).default(1),
    quality: z
      .object({
        /** Periods every organisation of org_types should have: from … to (to: null = the latest period of the source). */
        expected_periods: z.object({ from: PeriodLabel, to: PeriodLabel.nullable().default(null) }).strict(),
        allowed_range: z.object({ min: z.number().nullable().default(null), max: z.number().nullable().default(null) }).strict().default({}),
        /** The last period of a series that has ended (its source stopped publishing it): tiles of later years say so. */
        series_end: PeriodLabel.nullable().default(null),
      })
      .strict(),
    is_demo: z.boolean().default(false),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((ind, ctx) => {
    const add = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    const pattern = PERIOD_PATTERNS[ind.period_type];
    const { from, to } = ind.quality.expected_periods;
    if (!pattern.test(from)) add(['quality', 'expected_periods', 'from'], `not a ${ind.period_type} period (e.g. ${example(ind.period_type)})`);
    if (to !== null && !pattern.test(to)) add(['quality', 'expected_periods', 'to'], `not a ${ind.period_type} period (e.g. ${example(ind.period_type)})`);
    const end = ind.quality.series_end;
    if (end !== null && !pattern.test(end)) add(['quality', 'series_end'], `not a ${ind.period_type} period (e.g. ${example(ind.period_type)})`);
    if (to !== null && pattern.test(from) && pattern.test(to) && periodStart(to) < periodStart(from)) {
      add(['quality', 'expected_periods', 'to'], 'before from');
    }
    const { min, max } = ind.quality.allowed_range;
    if (min !== null && max !== null && max < min) add(['quality', 'allowed_range', 'max'], 'below min');
    if (new Set(ind.levels).size !== ind.levels.length) add(['levels'], 'a level is listed twice');
  });
export type Indicator = z.infer<typeof Indicator>;

function example(p: PeriodType): string {
  return { year: '2024', quarter: '2024-Q1', month: '2024-03', week: '2024-W09' }[p];
}

const DualComponent = z
  .object({
    indicator: Id,
    weight: z.number().positive().default(1),
    /** Cost components: divide by the need index (false for a series that is already need- or age-standardised, so it is not adjusted twice). */
    need_adjusted: z.boolean().default(true),
  })
  .strict();

const DualModel = z
  .object({
    /** Organisation types placed on the two axes; each is compared with the other organisations of its type. */
    org_types: z.array(z.enum(ORG_TYPES)).min(1).default(['wellbeing_county', 'collaboration_area', 'sub_area']),
    /** Welfare benefit (hyvinvointihyöty): customer / effectiveness indicators (yearly). */
    welfare: z.array(DualComponent).min(1),
    /** Cost benefit (kustannushyöty): finance indicators (yearly), lower cost = more benefit. */
    cost: z.array(DualComponent).min(1),
    /**
     * Need adjustment of the cost indicators: cost ÷ (index / 100) with the latest value, of that year or before, of
     * any of these need indices (one id or a list: a series that ended, then its successor; a later-listed index wins
     * a tie of years). Empty or null: no need adjustment.
     */
    need_index: z
      .union([Id, z.array(Id)])
      .nullable()
      .default(null)
      .transform((v) => (v === null ? [] : typeof v === 'string' ? [v] : v)),
    /** ±spread_pct % from the peer mean maps to 0 and 100 (the peer mean is 50). */
    spread_pct: z.number().positive().default(20),
    /** Scores at or above this are "high". */
    threshold: z.number().min(0).max(100).default(50),
    /** The change scores compare the change over this many years with Finland's change over the same years. */
    change_years: z.number().int().min(1).max(10).default(3),
    /** ±change_spread_pct percentage points of change beyond Finland's map to 100 and 0 (like Finland = 50). */
    change_spread_pct: z.number().positive().default(10),
  })
  .strict();
export type DualModel = z.infer<typeof DualModel>;

export const RegistryFile = z
  .object({
    version: z.literal(1),
    /** Default traffic-light rule; an indicator's own traffic_light overrides it. */
    traffic_light: TrafficLight.default({}),
    /** Weights of the perspectives in an overall score (the perspective scores themselves are unweighted averages of indicator weights). */
    perspective_weights: z.record(z.enum(PERSPECTIVES), z.number().min(0)).default({}),
    dual_model: DualModel,
    indicators: z.array(z.unknown()).min(1),
  })
  .strict();

export interface Registry {
  file: string;
  trafficLight: TrafficLight;
  perspectiveWeights: Partial<Record<Perspective, number>>;
  dualModel: DualModel;
  indicators: Indicator[];
}

export const RegistryError = fileProblemsError('RegistryError', 'indicator registry');
export type RegistryError = InstanceType<typeof RegistryError>;

function path(p: (string | number)[]): string {
  return p.map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').replace(/^\./, '') || '(root)';
}

/** Parses and validates the registry text. Pure. Problems read `indicator "net_costs" (indicators[3]): field formula.numerator: …`. */
export function parseRegistry(text: string, file: string): Registry {
  const top = parseYamlWith(RegistryFile, text, (p) => `field ${path(p)}`);
  if (top.problems) throw new RegistryError(file, top.problems);
  const problems: string[] = [];
  const indicators: Indicator[] = [];
  const seen = new Map<string, number>();
  top.data.indicators.forEach((raw, i) => {
    const rawId = raw && typeof raw === 'object' && 'id' in raw ? String((raw as { id: unknown }).id) : '?';
    const parsed = Indicator.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`indicator "${rawId}" (indicators[${i}]): field ${path(issue.path)}: ${issue.message}`);
      }
      return;
    }
    const prev = seen.get(parsed.data.id);
    if (prev !== undefined) {
      problems.push(`indicator "${parsed.data.id}" (indicators[${i}]): field id: duplicate id, already used by indicators[${prev}]`);
      return;
    }
    seen.set(parsed.data.id, i);
    indicators.push(parsed.data);
  });
  const dm = top.data.dual_model;
  const check = (list: { indicator: string }[], key: string) =>
    list.forEach((c, j) => {
      if (!seen.has(c.indicator)) problems.push(`dual_model.${key}[${j}].indicator: no indicator with id "${c.indicator}"`);
    });
  check(dm.welfare, 'welfare');
  check(dm.cost, 'cost');
  dm.need_index.forEach((id, j) => {
    if (!seen.has(id)) problems.push(`dual_model.need_index[${j}]: no indicator with id "${id}"`);
  });
  if (problems.length) throw new RegistryError(file, problems);
  return {
    file,
    trafficLight: top.data.traffic_light,
    perspectiveWeights: top.data.perspective_weights,
    dualModel: dm,
    indicators,
  };
}

export function loadRegistry(file: string): Registry {
  const text = readConfigText(file, RegistryError);
  return parseRegistry(text, file);
}

/**
 * Checks that every sotkanet.<id> / sotkanet_abs.<id> measure of the registry is a Sotkanet indicator the pipeline
 * loads (`sotkanet.indicators` in config/pipeline.yaml, or the default list). Throws a RegistryError naming the
 * indicator and the field.
 */
export function checkSotkanetMeasures(registry: Registry, loadedIds: readonly number[]): void {
  const loaded = new Set(loadedIds);
  const problems: string[] = [];
  registry.indicators.forEach((ind, i) => {
    for (const key of ['measure', 'numerator', 'denominator'] as const) {
      const id = ind.formula[key];
      const m = id ? /^sotkanet(?:_abs)?\.(\d+)$/.exec(id) : null;
      if (m && !loaded.has(Number(m[1]))) {
        problems.push(`indicator "${ind.id}" (indicators[${i}]): field formula.${key}: Sotkanet indicator ${m[1]} is not loaded (add it to sotkanet.indicators in config/pipeline.yaml)`);
      }
    }
  });
  if (problems.length) throw new RegistryError(registry.file, problems);
}
