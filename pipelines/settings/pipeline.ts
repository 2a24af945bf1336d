import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { fileProblemsError, parseYamlOrThrow, readConfigText } from '../yaml-file.js';
import {
  OrganisationSection,
  RegionsSection,
  resolveOrganisationSection,
  resolveRegionsSection,
  type ResolvedRegions,
} from './regions.js';
import { resolveSotkanetSection, SotkanetSection, type ResolvedSotkanet } from './sotkanet.js';
import { resolveServiceUseSection, ServiceUseSection, type ResolvedServiceUse } from './service-use.js';
import { resolveUnitDataSection, UnitDataSection, type ResolvedUnitData } from './unit-data.js';
import { PlanSection, resolvePlanSection, type ResolvedPlan } from './plan.js';
import { CommentarySection, resolveCommentarySection, type ResolvedCommentary } from './commentary.js';
import { BoardPackSection, resolveBoardPackSection, type ResolvedBoardPack } from './board-pack.js';
import { resolveScorecardSection, ScorecardSection, type ResolvedScorecard } from './scorecard.js';
import { PopulationSection, resolvePopulationSection, type ResolvedPopulation } from './population.js';
import { DisclosureSection, resolveDisclosureSection, type ResolvedDisclosure } from './disclosure.js';
import { ForesightSection, resolveForesightSection, type ResolvedForesight } from './foresight.js';
import {
  AlertsSection,
  checkJobNames,
  JobsSection,
  PublishSection,
  resolveOps,
  SchedulerSection,
  type ResolvedOps,
} from './ops.js';
import { AuthSection, isLoopbackHost, resolveAuthSection, type ResolvedAuth } from './auth.js';

/** The default configuration file, relative to the project root. `TJ_CONFIG` points elsewhere. */
/** The languages a site can be built in (evidence-offline/messages.js has their chrome texts). */
export const SITE_LANGUAGES = ['fi', 'sv', 'en'] as const;

/** The organisation's frame around the pages, passed to the Evidence build (pipelines/site.ts). */
export interface SiteFrame {
  name: string;
  /** Absolute path of a logo file (svg or png). */
  logo?: string;
  language: (typeof SITE_LANGUAGES)[number];
  linkColour?: string;
  /** Headings and (without linkColour) links; none: Evidence's. */
  primaryColour?: string;
  /** The line under the site's header bar; none: Evidence's. */
  accentColour?: string;
  /** The charts' series colours in order (Evidence's default palette); none: Evidence's. */
  chartColours?: string[];
}

export const DEFAULT_CONFIG_PATH = 'config/pipeline.yaml';

const nonEmpty = z.string().trim().min(1);
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb');

export const Config = z
  .object({
    warehouse: z.object({ path: nonEmpty }).strict(),
    site: z
      .object({
        // Without sign-in (auth.oidc) the site listens on this machine only; see the check below.
        host: nonEmpty.default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(3000),
        // The organisation's frame around the pages (docs/evidence-offline-patch.md): its name, an optional logo file
        // (svg or png, shown instead of the name), the language of the site and an optional link colour.
        name: nonEmpty.default('Tiedolla johtaminen'),
        logo: nonEmpty.optional(),
        language: z.enum(SITE_LANGUAGES).default('fi'),
        link_colour: hexColour.optional(),
        // the organisation's colours: primary for headings (and links without link_colour), accent for the line
        // under the header bar; without them the pages look as Evidence draws them
        primary_colour: hexColour.optional(),
        accent_colour: hexColour.optional(),
        // the charts' series colours in order (the first for the first series); without them Evidence's palette
        chart_colours: z.array(hexColour).min(1).optional(),
      })
      .strict()
      .default({}),
    reference: z
      .object({ municipality_key: nonEmpty, population: nonEmpty, grid_layouts: nonEmpty.default('data/reference/statfi/grid_*.csv') })
      .strict(),
    regions: RegionsSection,
    organisation: OrganisationSection,
    sotkanet: SotkanetSection,
    service_use: ServiceUseSection,
    unit_data: UnitDataSection,
    plan: PlanSection,
    commentary: CommentarySection,
    board_pack: BoardPackSection,
    scorecard: ScorecardSection,
    population: PopulationSection,
    foresight: ForesightSection,
    // Small-number protection of everything published (docs/disclosure.md).
    disclosure: DisclosureSection,
    // Operations (docs/operations.md): schedules, timeouts, retries, freshness SLAs, publish checks, alerts.
    scheduler: SchedulerSection,
    jobs: JobsSection,
    publish: PublishSection,
    alerts: AlertsSection,
    // Sign-in and audiences for `serve` (pipelines/auth, docs/operations.md).
    auth: AuthSection,
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.auth?.oidc && !isLoopbackHost(c.site.host)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['site', 'host'],
        message: `"${c.site.host}" is not a loopback address: without sign-in (auth.oidc) the site listens on 127.0.0.1 only (configure auth.oidc, behind a TLS reverse proxy, for other machines)`,
      });
    }
  });
export type Config = z.infer<typeof Config>;

/** Configuration after environment overrides, with every path absolute. */
export interface ResolvedConfig {
  file: string;
  warehousePath: string;
  site: { host: string; port: number; frame?: SiteFrame };
  reference: { municipalityKey: string; population: string; gridLayouts: string };
  /** Region model inputs and the harmonisation boundary year (pipelines/settings/regions.ts). */
  regions: ResolvedRegions;
  /** The organisation's own groupings (config/organisation.yaml). */
  organisation: { file: string };
  /** THL Sotkanet source (pipelines/settings/sotkanet.ts); env SOTKANET_BASE_URL overrides the base URL. */
  sotkanet: ResolvedSotkanet;
  /** Hospital-district service-use extracts (pipelines/settings/service-use.ts); env SERVICE_USE_DROP_DIR overrides the drop folder. */
  serviceUse: ResolvedServiceUse;
  /** The organisation's own monthly unit data (pipelines/settings/unit-data.ts); env UNIT_DATA_DROP_DIR overrides the drop folder. */
  unitData: ResolvedUnitData;
  /** Service agreements and budgets (pipelines/settings/plan.ts, docs/plan.md). */
  plan: ResolvedPlan;
  /** Comments per indicator or objective and period (pipelines/settings/commentary.ts); env COMMENTARY_DROP_DIR overrides the drop folder. */
  commentary: ResolvedCommentary;
  /** Board report PDFs (pipelines/settings/board-pack.ts). */
  boardPack: ResolvedBoardPack;
  /** The indicator registry and targets files (pipelines/settings/scorecard.ts). */
  scorecard: ResolvedScorecard;
  /** Population by age, history and projection (pipelines/settings/population.ts, docs/population.md). */
  population: ResolvedPopulation;
  /** Service-need projection and scenarios (pipelines/settings/foresight.ts). */
  foresight: ResolvedForesight;
  /** The one small-number threshold of everything published (pipelines/settings/disclosure.ts). */
  disclosure: ResolvedDisclosure;
  /** Schedules, timeouts, retries, freshness, publish checks, alerts (pipelines/settings/ops.ts); env ALERT_URL overrides alerts.url. */
  ops: ResolvedOps;
  /** Sign-in and audiences for `serve` (pipelines/settings/auth.ts); null = no `auth:` section. */
  auth: ResolvedAuth | null;
}

export const ConfigError = fileProblemsError('ConfigError', 'configuration in');
export type ConfigError = InstanceType<typeof ConfigError>;

/** Parses configuration text; every problem names its key path. Pure: no IO, no environment. */
export function parseConfig(text: string, file: string): Config {
  return parseYamlOrThrow(Config, text, file, ConfigError);
}

/** Runs a section resolver; a problem it reports (e.g. a bad environment override) becomes a ConfigError. */
function resolveOrThrow<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new ConfigError(file, [(e as Error).message]);
  }
}

const Port = z.coerce.number().int().min(1).max(65535);

/**
 * Reads the configuration file (env `TJ_CONFIG`, else config/pipeline.yaml) and applies the environment
 * overrides `WAREHOUSE_PATH` and `PORT`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const file = fromRoot(env.TJ_CONFIG ?? DEFAULT_CONFIG_PATH);
  const text = readConfigText(file, ConfigError);
  const config = parseConfig(text, file);
  let port = config.site.port;
  if (env.PORT !== undefined && env.PORT !== '') {
    const parsed = Port.safeParse(env.PORT);
    if (!parsed.success) throw new ConfigError(file, [`environment PORT: not a port number: ${env.PORT}`]);
    port = parsed.data;
  }
  return {
    file,
    warehousePath: fromRoot(env.WAREHOUSE_PATH || config.warehouse.path),
    site: {
      host: config.site.host,
      port,
      frame: {
        name: config.site.name,
        logo: config.site.logo === undefined ? undefined : fromRoot(config.site.logo),
        language: config.site.language,
        linkColour: config.site.link_colour,
        primaryColour: config.site.primary_colour,
        accentColour: config.site.accent_colour,
        chartColours: config.site.chart_colours,
      },
    },
    reference: {
      municipalityKey: fromRoot(config.reference.municipality_key),
      population: fromRoot(config.reference.population),
      gridLayouts: fromRoot(config.reference.grid_layouts),
    },
    regions: resolveRegionsSection(config.regions),
    organisation: resolveOrganisationSection(config.organisation),
    sotkanet: resolveOrThrow(file, () => resolveSotkanetSection(config.sotkanet, env)),
    serviceUse: resolveServiceUseSection(config.service_use, env),
    unitData: resolveUnitDataSection(config.unit_data, env),
    plan: resolvePlanSection(config.plan, env),
    commentary: resolveCommentarySection(config.commentary, env),
    boardPack: resolveBoardPackSection(config.board_pack),
    scorecard: resolveScorecardSection(config.scorecard),
    population: resolvePopulationSection(config.population),
    foresight: resolveForesightSection(config.foresight),
    disclosure: resolveDisclosureSection(config.disclosure),
    ops: resolveOps(config, env),
    auth: resolveAuthSection(config.auth),
  };
}

/**
 * The CLI edge: the `jobs:` section (schedules, depends_on) may name only jobs of the registry the process runs
 * (pipelines/jobs, or a test's fake registry). Returns the configuration, or throws a ConfigError naming each key.
 */
export function requireKnownJobs(config: ResolvedConfig, known: readonly string[]): ResolvedConfig {
  const problems = checkJobNames(config.ops, known);
  if (problems.length) throw new ConfigError(config.file, problems);
  return config;
}
