import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { movedThreshold } from './disclosure.js';

const Month = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

/** The `service_use:` section of config/pipeline.yaml (hospital-district service-use extracts). Every key has a default. */
export const ServiceUseSection = z
  .object({
    /** Folder the district drops its extracts into; `run service-use` imports every new file found there. */
    drop_dir: z.string().trim().min(1).default('data/demo/service-use'),
    /** Header and value aliases (Finnish / English column names, service type labels). */
    aliases: z.string().trim().min(1).default('config/service-use-aliases.yaml'),
    /** The specialty (erikoisala) code list: code,name_fi. Rows with other codes are rejected. */
    specialties: z.string().trim().min(1).default('config/specialties.csv'),
    /** Moved to disclosure.suppression_threshold (one threshold for everything published). */
    suppression_threshold: movedThreshold,
    /** Months before this are rejected; months after the current month are rejected too. */
    earliest_month: Month.default('2000-01'),
    /** Harmonise municipalities to this boundary year; null = the latest year in marts.municipality_harmonisation. */
    boundary_year: z.number().int().min(1900).max(2100).nullable().default(null),
    /** DuckDB resources for an import (keeps the 10-million-row import under about 1.5 GB). */
    duckdb: z
      .object({
        memory_limit: z
          .string()
          .trim()
          .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as 1GB, 512MB or 2GiB')
          .default('1GB'),
        /**
         * DuckDB's limit while an import rebuilds the service-use marts: the disclosure step holds its problem in
         * Node's heap beside DuckDB's buffers, so the import's peak is both together (docs/service-use.md, Benchmark).
         */
        marts_memory_limit: z
          .string()
          .trim()
          .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as 1GB, 512MB or 2GiB')
          .default('512MB'),
        threads: z.number().int().min(1).max(64).default(2),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});
export type ServiceUseSection = z.infer<typeof ServiceUseSection>;

export interface ResolvedServiceUse {
  dropDir: string;
  aliases: string;
  specialties: string;
  earliestMonth: string;
  boundaryYear: number | null;
  duckdb: { memoryLimit: string; martsMemoryLimit: string; threads: number };
}

/** Resolves paths from the project root; env SERVICE_USE_DROP_DIR overrides the drop folder. */
export function resolveServiceUseSection(section: ServiceUseSection, env: NodeJS.ProcessEnv = {}): ResolvedServiceUse {
  return {
    dropDir: fromRoot(env.SERVICE_USE_DROP_DIR || section.drop_dir),
    aliases: fromRoot(section.aliases),
    specialties: fromRoot(section.specialties),
    earliestMonth: section.earliest_month,
    boundaryYear: section.boundary_year,
    duckdb: { memoryLimit: section.duckdb.memory_limit, martsMemoryLimit: section.duckdb.marts_memory_limit, threads: section.duckdb.threads },
  };
}

/** The defaults, resolved (tests and tools that have no configuration file). */
export function defaultServiceUse(): ResolvedServiceUse {
  return resolveServiceUseSection(ServiceUseSection.parse(undefined));
}
