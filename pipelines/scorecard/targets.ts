/**
 * Targets (config/targets.yaml): per indicator, for all organisations, an organisation type, or one organisation
 * (which its members inherit unless they have their own), for a range of periods. Pure parsing and validation;
 * errors name the file, the target entry, its indicator and the field.
 */
import { fileProblemsError, parseYamlWith, readConfigText } from '../yaml-file.js';
import { z } from 'zod';
import { type Indicator, ORG_TYPES, PERIOD_PATTERNS, periodStart, type Registry } from './registry.js';

const PeriodLabel = z.union([z.string().trim().min(1), z.number().int().transform(String)]);

const Target = z
  .object({
    indicator: z.string().min(1),
    /** One organisation id (an organisation code, a service area or unit code, or kunta-<code>); its members inherit it. */
    org: z.string().min(1).optional(),
    /** Every organisation of this type. */
    org_type: z.enum(ORG_TYPES).optional(),
    /** First and last period the target applies to (the indicator's period type); omitted = open. */
    from: PeriodLabel.nullable().default(null),
    to: PeriodLabel.nullable().default(null),
    /** The target value (higher/lower is better) … */
    target: z.number().optional(),
    /** … or the target band (polarity target_band): green inside [low, high]. */
    band: z.object({ low: z.number(), high: z.number() }).strict().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (t.org && t.org_type) add('org', 'give org or org_type, not both');
    if ((t.target === undefined) === (t.band === undefined)) add('target', 'give exactly one of target and band');
    if (t.band && t.band.high < t.band.low) add('band', 'high is below low');
  });
export type Target = z.infer<typeof Target>;

const TargetsFile = z.object({ version: z.literal(1), targets: z.array(z.unknown()).default([]) }).strict();

/** A validated target with its periods as dates and its band resolved (a single target t is the band [t, t]). */
export interface ResolvedTarget {
  indicatorId: string;
  orgId: string | null;
  orgType: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  low: number;
  high: number;
  note: string | null;
  entry: number;
}

export const TargetsError = fileProblemsError('TargetsError', 'targets file');
export type TargetsError = InstanceType<typeof TargetsError>;

/**
 * Parses and validates the targets text against the registry. `knownOrgs`, when given, is the set of organisation
 * ids a target may name. Pure.
 */
export function parseTargets(text: string, file: string, registry: Registry, knownOrgs?: ReadonlySet<string>): ResolvedTarget[] {
  const top = parseYamlWith(TargetsFile, text, (p) => `field ${p.join('.') || '(root)'}`);
  if (top.problems) throw new TargetsError(file, top.problems);
  const byId = new Map<string, Indicator>(registry.indicators.map((i) => [i.id, i]));
  const problems: string[] = [];
  const out: ResolvedTarget[] = [];
  top.data.targets.forEach((raw, n) => {
    const rawInd = raw && typeof raw === 'object' && 'indicator' in raw ? String((raw as { indicator: unknown }).indicator) : '?';
    const where = `targets[${n}] (indicator "${rawInd}")`;
    const parsed = Target.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${where}: field ${i.path.join('.') || '(entry)'}: ${i.message}`);
      return;
    }
    const t = parsed.data;
    const ind = byId.get(t.indicator);
    if (!ind) {
      problems.push(`${where}: field indicator: no indicator with this id in ${registry.file}`);
      return;
    }
    const pattern = PERIOD_PATTERNS[ind.period_type];
    for (const key of ['from', 'to'] as const) {
      const v = t[key];
      if (v !== null && !pattern.test(v)) problems.push(`${where}: field ${key}: not a ${ind.period_type} period like the indicator's (${v})`);
    }
    if (ind.polarity === 'target_band' && t.band === undefined) problems.push(`${where}: field band: the indicator's polarity is target_band: give band {low, high}`);
    if (ind.polarity !== 'target_band' && t.band !== undefined) problems.push(`${where}: field band: only for polarity target_band; give target`);
    if (t.org && knownOrgs && !knownOrgs.has(t.org) && !/^kunta-\d{3}$/.test(t.org)) problems.push(`${where}: field org: unknown organisation id "${t.org}"`);
    if (t.org_type && !ind.org_types.includes(t.org_type)) {
      problems.push(`${where}: field org_type: the indicator is not computed for ${t.org_type} (org_types: ${ind.org_types.join(', ')})`);
    }
    const okFrom = t.from === null || pattern.test(t.from);
    const okTo = t.to === null || pattern.test(t.to);
    if (okFrom && okTo && t.from !== null && t.to !== null && periodStart(t.to) < periodStart(t.from)) {
      problems.push(`${where}: field to: before from`);
    }
    if (!okFrom || !okTo) return;
    out.push({
      indicatorId: t.indicator,
      orgId: t.org ?? null,
      orgType: t.org_type ?? null,
      periodFrom: t.from === null ? null : periodStart(t.from),
      periodTo: t.to === null ? null : periodStart(t.to),
      low: t.band ? t.band.low : (t.target as number),
      high: t.band ? t.band.high : (t.target as number),
      note: t.note ?? null,
      entry: n,
    });
  });
  // Two entries for the same indicator and scope must not overlap in time (the winner would be arbitrary).
  const groups = new Map<string, ResolvedTarget[]>();
  for (const t of out) {
    const key = `${t.indicatorId}|${t.orgId ?? ''}|${t.orgType ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const list of groups.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const x = list[a] as ResolvedTarget;
        const y = list[b] as ResolvedTarget;
        const overlap = (x.periodFrom ?? '0000') <= (y.periodTo ?? '9999') && (y.periodFrom ?? '0000') <= (x.periodTo ?? '9999');
        if (overlap) problems.push(`targets[${y.entry}] (indicator "${y.indicatorId}"): field from: overlaps targets[${x.entry}] for the same organisation scope`);
      }
    }
  }
  if (problems.length) throw new TargetsError(file, problems);
  return out;
}

export function loadTargets(file: string, registry: Registry, knownOrgs?: ReadonlySet<string>): ResolvedTarget[] {
  const text = readConfigText(file, TargetsError);
  return parseTargets(text, file, registry, knownOrgs);
}
