import { z } from 'zod';
import { fromRoot } from '../paths.js';
import { DEFAULT_INDICATORS, PERSPECTIVES, type Perspective } from './sotkanet-indicators.js';

/** How the client behaves on the network: per-request timeout, total deadline, retries with backoff. */
export interface HttpSettings {
  userAgent: string;
  timeoutMs: number;
  deadlineMs: number;
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_SOTKANET_BASE_URL = 'https://sotkanet.fi/rest/1.1';
export const GENDERS = ['total', 'male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

const Year = z.number().int().min(1900).max(2100);
const Years = z
  .object({ from: Year, to: Year.nullable().default(null) })
  .strict()
  .refine((y) => y.to === null || y.to >= y.from, { message: 'years.to must not be before years.from' });

/**
 * The HTTP keys of a section that fetches over the network (sotkanet, population): user_agent, timeout_ms,
 * deadline_ms, retries, backoff_base_ms, backoff_max_ms, with the section's own defaults.
 */
export function httpSettingsFields(d: { timeout_ms: number; deadline_ms: number; retries: number; backoff_base_ms: number; backoff_max_ms: number }) {
  return {
    user_agent: z.string().trim().min(1).optional(),
    timeout_ms: z.number().int().positive().default(d.timeout_ms),
    deadline_ms: z.number().int().positive().default(d.deadline_ms),
    retries: z.number().int().min(0).max(10).default(d.retries),
    backoff_base_ms: z.number().int().min(0).default(d.backoff_base_ms),
    backoff_max_ms: z.number().int().min(0).default(d.backoff_max_ms),
  };
}

/** The client settings of a parsed section with httpSettingsFields. */
export function resolveHttpSettings(s: {
  user_agent?: string;
  timeout_ms: number;
  deadline_ms: number;
  retries: number;
  backoff_base_ms: number;
  backoff_max_ms: number;
}): HttpSettings {
  return {
    userAgent: s.user_agent ?? PRODUCT_USER_AGENT,
    timeoutMs: s.timeout_ms,
    deadlineMs: s.deadline_ms,
    retries: s.retries,
    backoffBaseMs: s.backoff_base_ms,
    backoffMaxMs: s.backoff_max_ms,
  };
}

const IndicatorEntry = z
  .object({
    id: z.number().int().positive(),
    perspective: z.enum(PERSPECTIVES),
    genders: z.array(z.enum(GENDERS)).min(1).optional(),
    years: Years.optional(),
  })
  .strict();

/** The `sotkanet:` section of config/pipeline.yaml. Every key has a default. */
export const SotkanetSection = z
  .object({
    /** offline-mirror: import `mirror_dir` (no network). online: fetch from `base_url`. */
    mode: z.enum(['offline-mirror', 'online']).default('offline-mirror'),
    mirror_dir: z.string().trim().min(1).default('data/demo/sotkanet'),
    base_url: z.string().url().default(DEFAULT_SOTKANET_BASE_URL),
    /** Which data endpoint the online job and `mirror` use. */
    format: z.enum(['csv', 'json']).default('csv'),
    ...httpSettingsFields({ timeout_ms: 30_000, deadline_ms: 15 * 60_000, retries: 4, backoff_base_ms: 1_000, backoff_max_ms: 60_000 }),
    genders: z.array(z.enum(GENDERS)).min(1).default(['total']),
    years: Years.default({ from: 2000, to: null }),
    indicators: z
      .array(IndicatorEntry)
      .min(1)
      .superRefine((list, ctx) => {
        const seen = new Set<number>();
        list.forEach((entry, i) => {
          if (seen.has(entry.id)) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'id'], message: `indicator ${entry.id} is listed twice` });
          }
          seen.add(entry.id);
        });
      })
      .optional(),
  })
  .strict()
  .default({});
export type SotkanetSection = z.infer<typeof SotkanetSection>;

export interface SotkanetIndicatorConfig {
  id: number;
  perspective: Perspective;
  genders: Gender[];
  years: number[];
}

export interface ResolvedSotkanet extends HttpSettings {
  mode: 'offline-mirror' | 'online';
  mirrorDir: string;
  baseUrl: string;
  format: 'csv' | 'json';
  indicators: SotkanetIndicatorConfig[];
  /** Refetch every indicator even when its `data-updated` has not changed (`run sotkanet --force`). */
  force: boolean;
}

export const PRODUCT_USER_AGENT = 'tiedolla-johtaminen/0.1 (knowledge-based management pipeline; batch use)';

function yearRange(from: number, to: number | null, now: Date): number[] {
  const last = to ?? now.getUTCFullYear();
  const years: number[] = [];
  for (let y = from; y <= last; y++) years.push(y);
  return years;
}

/**
 * Applies defaults and the environment overrides SOTKANET_BASE_URL (also switches to online mode), SOTKANET_MODE
 * and SOTKANET_FORCE. Throws an Error naming a bad override.
 */
export function resolveSotkanetSection(
  section: SotkanetSection,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): ResolvedSotkanet {
  let baseUrl = section.base_url;
  const fromEnv = env.SOTKANET_BASE_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = z.string().url().safeParse(fromEnv);
    if (!parsed.success || !/^https?:\/\//.test(fromEnv)) {
      throw new Error(`environment SOTKANET_BASE_URL: not an http(s) URL: ${fromEnv}`);
    }
    baseUrl = fromEnv;
  }
  // Mode: env SOTKANET_MODE, else online when SOTKANET_BASE_URL is given (pointing at an API means using it),
  // else the configured mode.
  let mode = section.mode;
  const modeFromEnv = env.SOTKANET_MODE;
  if (modeFromEnv !== undefined && modeFromEnv !== '') {
    if (modeFromEnv !== 'online' && modeFromEnv !== 'offline-mirror') {
      throw new Error(`environment SOTKANET_MODE: expected online or offline-mirror, got ${modeFromEnv}`);
    }
    mode = modeFromEnv;
  } else if (fromEnv !== undefined && fromEnv !== '') {
    mode = 'online';
  }
  const entries =
    section.indicators ?? DEFAULT_INDICATORS.map((d) => ({ id: d.id, perspective: d.perspective, genders: undefined, years: undefined }));
  return {
    mode,
    mirrorDir: fromRoot(section.mirror_dir),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    format: section.format,
    ...resolveHttpSettings(section),
    indicators: entries.map((e) => {
      const years = e.years ?? section.years;
      return {
        id: e.id,
        perspective: e.perspective,
        genders: [...(e.genders ?? section.genders)],
        years: yearRange(years.from, years.to, now),
      };
    }),
    force: env.SOTKANET_FORCE === '1' || env.SOTKANET_FORCE === 'true',
  };
}
