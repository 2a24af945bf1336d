/**
 * `import <source> <paths...>` and `mirror <source> <dir>`: per-source handlers, dispatched by source name.
 * A source adds itself to IMPORTERS (and, when it can fetch into files, to MIRRORS).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResolvedConfig } from './settings/pipeline.js';
import type { Job } from './jobs/job.js';
import { martsJob } from './jobs/marts.js';
import { organisationJob } from './jobs/organisation.js';
import { regionsJob } from './jobs/regions.js';
import { serviceUseImportJob } from './jobs/service-use.js';
import { planImportJob } from './jobs/plan.js';
import { sotkanetImportJob } from './jobs/sotkanet.js';
import type { Logger } from './log.js';
import { mirroredDataUpdated, mirrorSotkanet } from './sotkanet/mirror.js';
import { clientFor } from './sotkanet/online.js';

export interface Importer {
  /** What the paths are, for help and errors, e.g. "<dir> (an offline mirror)". */
  usage: string;
  /** The jobs that load `paths` (already absolute) and rebuild what depends on them, in order. */
  jobs(paths: string[], config: ResolvedConfig): Job[];
}

export interface Mirror {
  usage: string;
  run(dir: string, config: ResolvedConfig, log: Logger): Promise<string>;
}

export const IMPORTERS: Record<string, Importer> = {
  sotkanet: {
    usage: '<dir>: a Sotkanet mirror directory (regions.json, indicators/<id>.json, data/<id>.csv|json)',
    jobs(paths) {
      if (paths.length !== 1) throw new UsageError('import sotkanet takes exactly one mirror directory');
      if (!existsSync(paths[0] as string)) throw new UsageError(`import sotkanet: no such directory ${paths[0]}`);
      return [regionsJob, organisationJob, sotkanetImportJob(paths[0] as string), martsJob];
    },
  },
  'service-use': {
    usage: '<file...>: hospital-district service-use extracts (.csv, .csv.gz, .xlsx; docs/service-use.md)',
    jobs(paths) {
      if (paths.length === 0) throw new UsageError('import service-use takes one or more files');
      // One job, one transaction: every file lands (and the service-use marts are rebuilt) or none does.
      return [serviceUseImportJob(paths)];
    },
  },
  ...Object.fromEntries(
    (['agreements', 'budgets'] as const).map((source) => [
      `plan-${source}`,
      {
        usage: `<file...>: ${source === 'agreements' ? 'service agreements' : 'budgets'} (.csv, .csv.gz, .xlsx; docs/plan.md)`,
        jobs(paths: string[]) {
          if (paths.length === 0) throw new UsageError(`import plan-${source} takes one or more files`);
          return [planImportJob(source, paths)];
        },
      } satisfies Importer,
    ]),
  ),
};

export const MIRRORS: Record<string, Mirror> = {
  sotkanet: {
    usage: '<dir>: writes regions.json, indicators/<id>.json and data/<id>.csv for the configured indicators',
    async run(dir, config, log) {
      const cfg = config.sotkanet;
      const client = clientFor(cfg, log);
      const r = await mirrorSotkanet(client, dir, {
        format: cfg.format,
        indicators: cfg.indicators,
        force: cfg.force,
        previous: (id) => mirroredDataUpdated(dir, id),
        log,
      });
      return `Sotkanet mirror ${dir}: fetched ${r.fetched.length} indicator(s) [${r.fetched.join(', ')}], unchanged ${r.unchanged.length} [${r.unchanged.join(', ')}], ${r.requests} request(s)${r.emptied.length ? `; answered empty, kept as they were: [${r.emptied.join(', ')}]` : ''}`;
    },
  },
};

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function lookup<T>(registry: Record<string, T>, kind: string, source: string): T {
  const entry = registry[source];
  if (!entry) throw new UsageError(`Unknown ${kind} source "${source}". Known: ${Object.keys(registry).join(', ')}.`);
  return entry;
}

export const importerFor = (source: string): Importer => lookup(IMPORTERS, 'import', source);
export const mirrorFor = (source: string): Mirror => lookup(MIRRORS, 'mirror', source);

/** Paths on the command line are relative to where the user ran npm (INIT_CWD), not to the project root. */
export function resolveUserPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.INIT_CWD ?? process.cwd(), path);
}
