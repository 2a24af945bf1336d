import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { fromRoot } from './paths.js';
import {
  OrganisationSection,
  RegionsSection,
  resolveOrganisationSection,
  resolveRegionsSection,
  type ResolvedRegions,
} from './regions/config.js';
import { resolveSotkanetSection, SotkanetSection, type ResolvedSotkanet } from './sotkanet/config.js';
import { resolveServiceUseSection, ServiceUseSection, type ResolvedServiceUse } from './service-use/config.js';
import { resolveUnitDataSection, UnitDataSection, type ResolvedUnitData } from './unit-data/config.js';
import { resolveScorecardSection, ScorecardSection, type ResolvedScorecard } from './scorecard/config.js';
import { PopulationSection, resolvePopulationSection, type ResolvedPopulation } from './population/config.js';
import { ForesightSection, resolveForesightSection, type ResolvedForesight } from './foresight/config.js';
import { JOBS } from './jobs/index.js';
import {
  AlertsSection,
  checkJobNames,
  JobsSection,
  PublishSection,
  resolveOps,
  SchedulerSection,
  type ResolvedOps,
} from './ops/config.js';

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
}

export const DEFAULT_CONFIG_PATH = 'config/pipeline.yaml';

const nonEmpty = z.string().trim().min(1);

export const Config = z
  .object({
    warehouse: z.object({ path: nonEmpty }).strict(),
    site: z
      .object({
        // The site has no login: it listens on this machine only, behind a reverse proxy when others need it.
        host: nonEmpty
          .refine((h) => ['127.0.0.1', 'localhost', '::1'].includes(h) || /^127\.\d+\.\d+\.\d+$/.test(h), (h) => ({
            message: `"${h}" is not a loopback address: the site has no login, so it listens on 127.0.0.1 only (put a reverse proxy with authentication in front for other machines)`,
          }))
          .default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(3000),
        // The organisation's frame around the pages (docs/evidence-offline-patch.md): its name, an optional logo file
        // (svg or png, shown instead of the name), the language of the site and an optional link colour.
        name: nonEmpty.default('Tiedolla johtaminen'),
        logo: nonEmpty.optional(),
        language: z.enum(SITE_LANGUAGES).default('fi'),
        link_colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb').optional(),
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
    scorecard: ScorecardSection,
    population: PopulationSection,
    foresight: ForesightSection,
    // Operations (docs/operations.md): schedules, timeouts, retries, freshness SLAs, publish checks, alerts.
    scheduler: SchedulerSection,
    jobs: JobsSection,
    publish: PublishSection,
    alerts: AlertsSection,
  })
  .strict();
export type Config = z.infer<typeof Config>;

/** Configuration after environment overrides, with every path absolute. */
export interface ResolvedConfig {
  file: string;
  warehousePath: string;
  site: { host: string; port: number; frame?: SiteFrame };
  reference: { municipalityKey: string; population: string; gridLayouts: string };
  /** Region model inputs and the harmonisation boundary year (pipelines/regions/config.ts). */
  regions: ResolvedRegions;
  /** The organisation's own groupings (config/organisation.yaml). */
  organisation: { file: string };
  /** THL Sotkanet source (pipelines/sotkanet/config.ts); env SOTKANET_BASE_URL overrides the base URL. */
  sotkanet: ResolvedSotkanet;
  /** Hospital-district service-use extracts (pipelines/service-use/config.ts); env SERVICE_USE_DROP_DIR overrides the drop folder. */
  serviceUse: ResolvedServiceUse;
  /** The organisation's own monthly unit data (pipelines/unit-data/config.ts); env UNIT_DATA_DROP_DIR overrides the drop folder. */
  unitData: ResolvedUnitData;
  /** The indicator registry and targets files (pipelines/scorecard/config.ts). */
  scorecard: ResolvedScorecard;
  /** Population by age, history and projection (pipelines/population/config.ts, docs/population.md). */
  population: ResolvedPopulation;
  /** Service-need projection and scenarios (pipelines/foresight/config.ts). */
  foresight: ResolvedForesight;
  /** Schedules, timeouts, retries, freshness, publish checks, alerts (pipelines/ops/config.ts); env ALERT_URL overrides alerts.url. */
  ops: ResolvedOps;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses configuration text; every problem names its key path. Pure: no IO, no environment.
 * `jobNames`: the job registry the `jobs:` section must name (default: pipelines/jobs).
 */
export function parseConfig(text: string, file: string, jobNames: readonly string[] = JOBS.map((j) => j.name)): Config {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError(file, [`not valid YAML: ${(e as Error).message}`]);
  }
  const result = Config.safeParse(doc ?? {});
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  const jobProblems = checkJobNames(result.data.jobs, jobNames);
  if (jobProblems.length) throw new ConfigError(file, jobProblems);
  return result.data;
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
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  jobNames: readonly string[] = JOBS.map((j) => j.name),
): ResolvedConfig {
  const file = fromRoot(env.TJ_CONFIG ?? DEFAULT_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  const config = parseConfig(text, file, jobNames);
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
    scorecard: resolveScorecardSection(config.scorecard),
    population: resolvePopulationSection(config.population),
    foresight: resolveForesightSection(config.foresight),
    ops: resolveOps(config, env),
  };
}
