import { extname } from 'node:path';
import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { httpSettingsFields, resolveHttpSettings, type HttpSettings } from './sotkanet.js';

export const POPULATION_KINDS = ['history', 'projection'] as const;
export type PopulationKind = (typeof POPULATION_KINDS)[number];
export const POPULATION_FORMATS = ['json-stat2', 'csv'] as const;
export type PopulationFormat = (typeof POPULATION_FORMATS)[number];

/** The default variant of a source without a variant dimension, by kind. */
export const DEFAULT_VARIANT: Record<PopulationKind, string> = { history: 'toteutunut', projection: 'perus' };

const Name = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - (it names the source in the warehouse)');

const Source = z
  .object({
    name: Name,
    kind: z.enum(POPULATION_KINDS),
    variant: z.string().trim().min(1).optional(),
    /** Default: from the file extension (.csv → csv, else json-stat2); for a URL from query.response.format. */
    format: z.enum(POPULATION_FORMATS).optional(),
    file: z.string().trim().min(1).optional(),
    /** A PxWeb table URL (…/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11re.px). */
    url: z.string().url().optional(),
    /** The PxWeb POST body (the "query" JSON of the table's API page) as a YAML object. Without it the URL is fetched with GET. */
    query: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.file === undefined) === (s.url === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give exactly one of file or url' });
    }
    if (s.url !== undefined && !/^https?:\/\//.test(s.url)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['url'], message: 'an http(s) URL' });
    }
    if (s.query !== undefined && s.url === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['query'], message: 'query goes with url, not with file' });
    }
  });
export type PopulationSourceEntry = z.infer<typeof Source>;

/** The `population:` section of config/pipeline.yaml (docs/population.md). Every key has a default. */
export const PopulationSection = z
  .object({
    /** The projection variant the pages show by default. */
    main_variant: z.string().trim().min(1).default('perus'),
    sources: z
      .array(Source)
      .default([])
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((s, i) => {
          if (seen.has(s.name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'name'], message: `source ${s.name} is listed twice` });
          seen.add(s.name);
        });
      }),
    ...httpSettingsFields({ timeout_ms: 60_000, deadline_ms: 10 * 60_000, retries: 3, backoff_base_ms: 2_000, backoff_max_ms: 60_000 }),
  })
  .strict()
  .default({});
export type PopulationSection = z.infer<typeof PopulationSection>;

export interface PopulationSource {
  name: string;
  kind: PopulationKind;
  variant: string;
  format: PopulationFormat;
  /** Absolute path (file sources). */
  file?: string;
  url?: string;
  query?: Record<string, unknown>;
}

export interface ResolvedPopulation {
  mainVariant: string;
  sources: PopulationSource[];
  http: HttpSettings;
}

/** The format of a source when not given: .csv → csv, .json/.px/other → json-stat2; a URL by query.response.format. Pure. */
export function sourceFormat(s: PopulationSourceEntry): PopulationFormat {
  if (s.format) return s.format;
  if (s.file !== undefined) return extname(s.file.replace(/\.gz$/i, '')).toLowerCase() === '.csv' ? 'csv' : 'json-stat2';
  const response = (s.query?.response ?? {}) as { format?: unknown };
  const f = typeof response.format === 'string' ? response.format.toLowerCase() : '';
  if (f === 'csv' || f === 'csv2' || f === 'csv3') return 'csv';
  return new URL(s.url!).pathname.toLowerCase().endsWith('.csv') ? 'csv' : 'json-stat2';
}

export function resolvePopulationSection(section: PopulationSection): ResolvedPopulation {
  return {
    mainVariant: section.main_variant,
    sources: section.sources.map((s) => ({
      name: s.name,
      kind: s.kind,
      variant: s.variant ?? DEFAULT_VARIANT[s.kind],
      format: sourceFormat(s),
      ...(s.file !== undefined ? { file: fromRoot(s.file) } : {}),
      ...(s.url !== undefined ? { url: s.url } : {}),
      ...(s.query !== undefined ? { query: s.query } : {}),
    })),
    http: resolveHttpSettings(section),
  };
}

export function defaultPopulation(): ResolvedPopulation {
  return resolvePopulationSection(PopulationSection.parse(undefined));
}
