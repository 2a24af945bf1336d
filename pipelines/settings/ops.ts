/**
 * Operational settings in config/pipeline.yaml (docs/operations.md): `scheduler`, `jobs` (schedule, timeout,
 * retry, freshness SLA per job name), `publish` (data checks, retention, site rebuild) and `alerts`.
 * The job code lives in pipelines/jobs/; this section only adds how and when each job runs.
 */
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { nextCronMatch, parseCron } from '../cron.js';
import type { RetryPolicy } from '../retry.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "36h", "2d", "500ms", or a number of seconds → milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value}`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

export const Duration = z.union([
  z.number().nonnegative(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h|d)\s*$/, 'a duration like "90s", "30m", "36h" or "2d" (or a number of seconds)'),
]);

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function parses(expr: string): boolean {
  try {
    parseCron(expr);
    return true;
  } catch {
    return false;
  }
}

const Timezone = z.string().refine(isTimezone, (tz) => ({ message: `unknown time zone "${tz}" (use an IANA name like Europe/Helsinki)` }));
const Cron = z
  .string()
  .refine((expr) => validateCron(expr) && parses(expr), (expr) => ({
    message: `not a valid cron expression: "${expr}" (minute hour day-of-month month day-of-week, optionally seconds first)`,
  }))
  // A valid expression for a day that never comes (30 February) would leave the job silently never running.
  .refine((expr) => !parses(expr) || nextCronMatch(parseCron(expr), new Date(), 'UTC') !== null, (expr) => ({
    message: `cron expression "${expr}" never fires (no such day in the next five years)`,
  }));

const Retry = z
  .object({
    attempts: z.number().int().min(1).max(20).default(1),
    backoff: Duration.default('30s'),
    max_backoff: Duration.default('10m'),
    jitter: z.number().min(0).max(1).default(0.2),
  })
  .strict();

const Freshness = z
  .object({ warn_after: Duration, error_after: Duration })
  .strict()
  .refine((f) => parseDuration(f.error_after) >= parseDuration(f.warn_after), {
    message: 'error_after must not be shorter than warn_after',
  });

const JobOps = z
  .object({
    /** Cron expression; null or omitted: the job runs only by hand or as a dependency. */
    schedule: Cron.nullable().optional(),
    timezone: Timezone.optional(),
    timeout: Duration.optional(),
    retry: Retry.optional(),
    freshness: Freshness.optional(),
    /** Replaces the job's code-declared dependencies (pipelines/jobs). */
    depends_on: z.array(z.string().min(1)).optional(),
    /** Run the jobs that depend on this one (e.g. marts) after a scheduled run. Default true. */
    run_dependents: z.boolean().default(true),
  })
  .strict();

export const SchedulerSection = z
  .object({
    timezone: Timezone.default('Europe/Helsinki'),
    heartbeat_interval: Duration.default('30s'),
    /** A scheduled run waits this long for another process's warehouse lock before it is skipped. */
    lock_wait: Duration.default('10m'),
    freshness_check_interval: Duration.default('15m'),
    /** ops.runs rows older than this are deleted (at least a year). */
    history_days: z.number().int().min(366).default(400),
    /** After SIGTERM: how long the current step may take to abort before the process exits anyway. */
    shutdown_grace: Duration.default('30s'),
  })
  .strict()
  .default({});

export const JobsSection = z
  .object({
    defaults: z
      .object({ timeout: Duration.default('1h'), retry: Retry.default({}) })
      .strict()
      .default({}),
  })
  .catchall(JobOps)
  .default({});

export const PublishSection = z
  .object({
    /** Published warehouse copies to keep (data/published/<timestamp>.duckdb). */
    keep: z.number().int().min(1).default(5),
    /** Rebuild the Evidence site from the new published state after a successful publish. */
    rebuild_site: z.boolean().default(true),
    /** Site builds to keep (data/site/<timestamp>/). */
    site_keep: z.number().int().min(1).default(3),
    checks: z
      .object({
        /** Minimum row counts, e.g. { marts.population_by_area: 1000 }. */
        min_rows: z.record(z.number().int().min(0)).default({}),
        /** Key columns that must be unique, e.g. { marts.regions: [region_id, year] }. */
        unique_keys: z.record(z.array(z.string().min(1)).min(1)).default({}),
        /** A mart that had rows in the published state must not shrink by more than this fraction (1 = any). */
        max_row_drop: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export const AlertsSection = z
  .object({
    /** Shell command; gets ALERT_KIND, ALERT_JOB, ALERT_MESSAGE in its environment and the message on stdin. */
    command: z.string().min(1).nullable().default(null),
    /** POSTs {"text": ...} as JSON (Teams/Slack incoming webhook). Env ALERT_URL overrides. */
    url: z.string().url().nullable().default(null),
    timeout: Duration.default('10s'),
    on_failure: z.boolean().default(true),
    on_sla: z.boolean().default(true),
  })
  .strict()
  .default({});

type Section<T extends z.ZodTypeAny> = z.infer<T>;

export interface JobOpsSettings {
  schedule: string | null;
  timezone: string;
  timeoutMs: number;
  retry: RetryPolicy;
  freshness: { warnAfterMs: number; errorAfterMs: number } | null;
  dependsOn: string[] | null;
  runDependents: boolean;
}

export interface ResolvedOps {
  scheduler: {
    timezone: string;
    heartbeatIntervalMs: number;
    lockWaitMs: number;
    freshnessCheckIntervalMs: number;
    historyDays: number;
    shutdownGraceMs: number;
  };
  jobs: Record<string, JobOpsSettings>;
  defaults: { timeoutMs: number; retry: RetryPolicy };
  publish: {
    keep: number;
    rebuildSite: boolean;
    siteKeep: number;
    checks: { minRows: Record<string, number>; uniqueKeys: Record<string, string[]>; maxRowDrop: number };
  };
  alerts: { command: string | null; url: string | null; timeoutMs: number; onFailure: boolean; onSla: boolean };
}

function retryOf(r: Section<typeof Retry>): RetryPolicy {
  return {
    attempts: r.attempts,
    backoffMs: parseDuration(r.backoff),
    maxBackoffMs: parseDuration(r.max_backoff),
    jitter: r.jitter,
  };
}

/**
 * Problems (with key paths) for job names in `jobs:` or `depends_on` that the job registry lacks. The settings know no
 * jobs: the CLI edge passes the registry's names (pipelines/cli.ts, requireKnownJobs).
 */
export function checkJobNames(ops: ResolvedOps, known: readonly string[]): string[] {
  const problems: string[] = [];
  const knownText = `known jobs: ${known.join(', ')}`;
  for (const [name, settings] of Object.entries(ops.jobs)) {
    if (!known.includes(name)) problems.push(`jobs.${name}: unknown job "${name}" (${knownText})`);
    for (const [i, dep] of (settings.dependsOn ?? []).entries()) {
      if (!known.includes(dep)) problems.push(`jobs.${name}.depends_on.${i}: unknown job "${dep}" (${knownText})`);
    }
  }
  return problems;
}

export function resolveOps(
  sections: {
    scheduler: Section<typeof SchedulerSection>;
    jobs: Section<typeof JobsSection>;
    publish: Section<typeof PublishSection>;
    alerts: Section<typeof AlertsSection>;
  },
  env: NodeJS.ProcessEnv = {},
): ResolvedOps {
  const s = sections.scheduler;
  const { defaults, ...perJob } = sections.jobs;
  const resolvedDefaults = { timeoutMs: parseDuration(defaults.timeout), retry: retryOf(defaults.retry) };
  const jobs: Record<string, JobOpsSettings> = {};
  for (const [name, raw] of Object.entries(perJob)) {
    const j = raw as Section<typeof JobOps>;
    jobs[name] = {
      schedule: j.schedule ?? null,
      timezone: j.timezone ?? s.timezone,
      timeoutMs: j.timeout !== undefined ? parseDuration(j.timeout) : resolvedDefaults.timeoutMs,
      retry: j.retry ? retryOf(j.retry) : resolvedDefaults.retry,
      freshness: j.freshness
        ? { warnAfterMs: parseDuration(j.freshness.warn_after), errorAfterMs: parseDuration(j.freshness.error_after) }
        : null,
      dependsOn: j.depends_on ?? null,
      runDependents: j.run_dependents,
    };
  }
  const p = sections.publish;
  const a = sections.alerts;
  return {
    scheduler: {
      timezone: s.timezone,
      heartbeatIntervalMs: parseDuration(s.heartbeat_interval),
      lockWaitMs: parseDuration(s.lock_wait),
      freshnessCheckIntervalMs: parseDuration(s.freshness_check_interval),
      historyDays: s.history_days,
      shutdownGraceMs: parseDuration(s.shutdown_grace),
    },
    jobs,
    defaults: resolvedDefaults,
    publish: {
      keep: p.keep,
      rebuildSite: p.rebuild_site,
      siteKeep: p.site_keep,
      checks: { minRows: p.checks.min_rows, uniqueKeys: p.checks.unique_keys, maxRowDrop: p.checks.max_row_drop },
    },
    alerts: {
      command: a.command,
      url: env.ALERT_URL || a.url,
      timeoutMs: parseDuration(a.timeout),
      onFailure: a.on_failure,
      onSla: a.on_sla,
    },
  };
}

/** The settings with every section at its default (tests, and files without the sections). */
export function defaultOps(): ResolvedOps {
  return resolveOps({
    scheduler: SchedulerSection.parse(undefined),
    jobs: JobsSection.parse(undefined),
    publish: PublishSection.parse(undefined),
    alerts: AlertsSection.parse(undefined),
  });
}

/** The operational settings of one job, defaults filled in. */
export function jobOps(ops: ResolvedOps, job: string): JobOpsSettings {
  return (
    ops.jobs[job] ?? {
      schedule: null,
      timezone: ops.scheduler.timezone,
      timeoutMs: ops.defaults.timeoutMs,
      retry: ops.defaults.retry,
      freshness: null,
      dependsOn: null,
      runDependents: true,
    }
  );
}
