/**
 * The roadmap (config/roadmap.yaml, docs/roadmap.md): per organisation the Balanced-Scorecard objectives under the
 * four perspectives with their indicators and owner, the initiatives (kehittämistoimenpiteet) serving them with
 * their milestones, and the chosen target state on the dual model. Pure parsing and validation: every problem names
 * the file and the key path (`organisations[2].initiatives[0].milestones[1].due: not a date`), never a value.
 */
import { relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { readConfigText } from '../yaml-file.js';

export const PERSPECTIVES = ['customer', 'process', 'finance', 'competence'] as const;
/** The dual model's quadrants (marts.dual_model.quadrant_en). */
export const QUADRANTS = ['target', 'drifting', 'not_realistic', 'health_gaps_grow'] as const;
export type Quadrant = (typeof QUADRANTS)[number];
/** A milestone's status as reported by its owner. */
export const MILESTONE_STATUSES = ['valmis', 'käynnissä', 'aloittamatta'] as const;

/** An enum whose error names the allowed values, never the value given. */
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values as unknown as [T[number], ...T[number][]], { errorMap: () => ({ message: `not one of ${values.join(', ')}` }) });

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'not an id (lower-case letters, digits and -)');
const Text = z.string().trim().min(1, 'empty');
/** A date as YAML writes it (2024-06-30, which YAML reads as a Date) or as a quoted string. */
const IsoDate = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z
    .string({ invalid_type_error: 'not a date', required_error: 'missing' })
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a date'),
);
/** A name in Swedish or English: optional, the same rules as the Finnish one; missing, the Finnish name is shown. */
const Translation = Text.optional();
const Score = z.number({ invalid_type_error: 'not a number', required_error: 'missing' }).min(0, 'below 0').max(100, 'above 100');

const Milestone = z
  .object({ name_fi: Text, name_sv: Translation, name_en: Translation, due: IsoDate, status: oneOf(MILESTONE_STATUSES) })
  .strict();

const Initiative = z
  .object({
    id: Id,
    name_fi: Text,
    name_sv: Translation,
    name_en: Translation,
    owner: Text,
    objectives: z.array(Id).min(1, 'name at least one objective'),
    start: IsoDate,
    end: IsoDate,
    milestones: z.array(Milestone).default([]),
  })
  .strict()
  .superRefine((i, ctx) => {
    if (i.end < i.start) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['end'], message: 'before start' });
  });

const Objective = z
  .object({
    id: Id,
    perspective: oneOf(PERSPECTIVES),
    name_fi: Text,
    name_sv: Translation,
    name_en: Translation,
    owner: Text,
    indicators: z.array(z.string().min(1)).min(1, 'name at least one indicator'),
  })
  .strict();

const TargetState = z
  .object({ quadrant: oneOf(QUADRANTS), welfare_score: Score, cost_score: Score, target_year: z.number().int().min(2000).max(2100) })
  .strict();

const Organisation = z
  .object({
    org: Text,
    target_state: TargetState,
    objectives: z.array(Objective).min(1),
    initiatives: z.array(Initiative).default([]),
  })
  .strict();

const RoadmapFile = z
  .object({
    version: z.literal(1),
    /** True for the shipped demo content: the pages say it is an example. */
    is_example: z.boolean().default(false),
    /** The date the milestone statuses describe: a milestone due before it and not done is late. */
    status_as_of: IsoDate,
    organisations: z.array(Organisation).min(1),
  })
  .strict();

export type Roadmap = z.infer<typeof RoadmapFile> & { file: string };
export type RoadmapOrganisation = z.infer<typeof Organisation>;

/** The problems of one roadmap file, one per line, each `<file>: <key path>: <reason>`. */
export class RoadmapError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid roadmap ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RoadmapError';
  }
}

/** A key path as `organisations[2].initiatives[0].due`. */
export function keyPath(path: readonly (string | number)[]): string {
  return path.map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').replace(/^\./, '') || '(root)';
}

/** What the roadmap may refer to outside itself. */
export interface RoadmapRefs {
  /** Organisation codes (config/organisation.yaml). */
  organisations: ReadonlySet<string>;
  /** Indicator ids of the registry (config/indicators.yaml). */
  indicators: ReadonlySet<string>;
  /** The dual model's quadrant threshold (config/indicators.yaml dual_model.threshold). */
  threshold: number;
}

/** The quadrant of a point on the dual model (both ≥ threshold: target). Pure. */
export function quadrantOf(welfare: number, cost: number, threshold: number): Quadrant {
  if (welfare >= threshold) return cost >= threshold ? 'target' : 'not_realistic';
  return cost >= threshold ? 'health_gaps_grow' : 'drifting';
}

/** Parses and validates the roadmap text against the organisations and the registry. Pure. */
export function parseRoadmap(text: string, file: string, refs: RoadmapRefs): Roadmap {
  const shown = relative(fromRoot('.'), file).startsWith('..') ? file : relative(fromRoot('.'), file);
  const fail = (problems: string[]): never => {
    throw new RoadmapError(shown, problems.map((p) => `${shown}: ${p}`));
  };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    // The YAML parser's message names line and column; it quotes no more than the position.
    return fail([`not valid YAML: ${(e as Error).message.split('\n')[0]}`]);
  }
  const parsed = RoadmapFile.safeParse(doc ?? {});
  if (!parsed.success) return fail(parsed.error.issues.map((i) => `${keyPath(i.path)}: ${i.message}`));
  const data = parsed.data;
  const problems: string[] = [];
  const orgsSeen = new Set<string>();
  const objectiveIds = new Set<string>();
  const initiativeIds = new Set<string>();
  data.organisations.forEach((o, n) => {
    const at = `organisations[${n}]`;
    if (!refs.organisations.has(o.org)) problems.push(`${at}.org: unknown organisation (not in config/organisation.yaml)`);
    if (orgsSeen.has(o.org)) problems.push(`${at}.org: the organisation is listed twice`);
    orgsSeen.add(o.org);
    const t = o.target_state;
    const q = quadrantOf(t.welfare_score, t.cost_score, refs.threshold);
    if (q !== t.quadrant) problems.push(`${at}.target_state.quadrant: the target point lies in quadrant ${q} (threshold ${refs.threshold})`);
    const own = new Set<string>();
    o.objectives.forEach((ob, j) => {
      if (objectiveIds.has(ob.id)) problems.push(`${at}.objectives[${j}].id: the id is used twice`);
      objectiveIds.add(ob.id);
      own.add(ob.id);
      ob.indicators.forEach((ind, k) => {
        if (!refs.indicators.has(ind)) problems.push(`${at}.objectives[${j}].indicators[${k}]: no indicator with this id in config/indicators.yaml`);
      });
    });
    o.initiatives.forEach((ini, j) => {
      if (initiativeIds.has(ini.id)) problems.push(`${at}.initiatives[${j}].id: the id is used twice`);
      initiativeIds.add(ini.id);
      ini.objectives.forEach((ob, k) => {
        if (!own.has(ob)) problems.push(`${at}.initiatives[${j}].objectives[${k}]: no objective with this id in this organisation`);
      });
    });
  });
  if (problems.length) fail(problems);
  return { ...data, file: shown };
}

/** Reads and validates the roadmap file. */
export function loadRoadmap(file: string, refs: RoadmapRefs): Roadmap {
  return parseRoadmap(readConfigText(file, RoadmapError), file, refs);
}

/** The roadmap file checked against the organisation model's codes and the indicator registry (ids, threshold). */
export function loadRoadmapChecked(
  file: string,
  organisationCodes: readonly string[],
  registry: { indicators: readonly { id: string }[]; dualModel: { threshold: number } },
): Roadmap {
  return loadRoadmap(file, {
    organisations: new Set(organisationCodes),
    indicators: new Set(registry.indicators.map((i) => i.id)),
    threshold: registry.dualModel.threshold,
  });
}
