/**
 * One refresh, start to finish, whoever triggers it (scheduler, `pipeline run`, `import`): take the warehouse
 * lock → run the jobs (timeouts, retries) → data checks and atomic publish → site rebuild and switch → alert on
 * failure → release the lock. Every step is recorded in ops.runs under one batch id.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedConfig } from '../settings/pipeline.js';
import type { Job } from '../jobs/job.js';
import type { ModelSelection } from '../models/build.js';
import { orderJobs } from '../jobs/index.js';
import type { Logger } from '../log.js';
import { redactSecrets } from '../safe-text.js';
import { finalSummaries, openForWriting, runJobs, type RunEffects, type RunSummary, type Trigger } from '../runner.js';
import { publishSite, type SiteBuilder } from '../site.js';
import { createAlertSender, type AlertSender } from './alerts.js';
import { boardPackDir, writeBoardPacks } from './board-pack.js';
import { defaultOps, jobOps, type ResolvedOps } from '../settings/ops.js';
import { acquireLock, LockedError } from './lock.js';
import { opsPaths, publishedWarehouse, publishWarehouse, syncStatusMarts, timestampName, type PublishResult } from './publish.js';

/** Exit codes of `pipeline` commands (docs/operations.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, locked: 3, interrupted: 4 } as const;

export type RefreshOutcome = 'success' | 'failed' | 'locked' | 'interrupted';

export interface RefreshResult {
  outcome: RefreshOutcome;
  exitCode: number;
  batchId: string;
  summaries: RunSummary[];
  publish?: PublishResult;
  siteDir?: string;
  message?: string;
}

export interface RefreshDeps extends RunEffects {
  log: Logger;
  /** Builds the site (default: Evidence). Tests pass a fake: an Evidence build takes minutes. */
  siteBuilder?: SiteBuilder;
  alert?: AlertSender;
}

export interface RefreshRequest {
  /** The jobs to run, in order (selectJobs / withDependents). */
  jobs: readonly Job[];
  trigger: Trigger;
  triggers?: Record<string, Trigger>;
  /** What started it, for the lock file and the logs, e.g. "run all" or "schedule sotkanet". */
  label: string;
  publish?: boolean;
  rebuildSite?: boolean;
  lockWaitMs?: number;
  signal?: AbortSignal;
  /** The marts job's models (`run marts --select …`). */
  models?: ModelSelection;
}

/** The registry with `jobs.<name>.depends_on` from the configuration applied. */
export function applyConfiguredDependencies(jobs: readonly Job[], ops: ResolvedOps): Job[] {
  return jobs.map((j) => {
    const deps = ops.jobs[j.name]?.dependsOn;
    return deps ? { ...j, dependsOn: deps } : j;
  });
}

/** A job and every job that (transitively) depends on it, in dependency order: e.g. sotkanet → marts. */
export function withDependents(name: string, registry: readonly Job[]): Job[] {
  const wanted = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const j of registry) {
      if (!wanted.has(j.name) && j.dependsOn.some((d) => wanted.has(d))) {
        wanted.add(j.name);
        grew = true;
      }
    }
  }
  return orderJobs(registry).filter((j) => wanted.has(j.name));
}

async function recordStep(
  conn: DuckDBConnection,
  r: { batchId: string; job: string; trigger: Trigger; startedAt: Date; outcome: string; message?: string; rows?: number },
): Promise<void> {
  await conn.run(
    `insert into ops.runs (run_id, job, trigger, started_at, finished_at, outcome, attempt, batch_id, host, pid, rows_loaded, message)
     values ($id, $job, $trigger, $started::timestamptz, now(), $outcome, 1, $batch, $host, $pid, $rows, $message)`,
    {
      id: randomUUID(),
      job: r.job,
      trigger: r.trigger,
      started: r.startedAt.toISOString(),
      outcome: r.outcome,
      batch: r.batchId,
      host: hostname(),
      pid: process.pid,
      rows: r.rows ?? null,
      message: r.message === undefined ? null : redactSecrets(r.message),
    },
  );
}

async function withOps<T>(config: ResolvedConfig, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const wh = await openForWriting(config.warehousePath, (config.ops ?? defaultOps()).scheduler.historyDays);
  try {
    return await fn(wh.conn);
  } finally {
    wh.close();
  }
}

export async function refresh(req: RefreshRequest, config: ResolvedConfig, deps: RefreshDeps): Promise<RefreshResult> {
  const { log } = deps;
  const ops = config.ops ?? defaultOps();
  const alert = deps.alert ?? createAlertSender(ops.alerts, log);
  const batchId = randomUUID();
  const label = req.label;
  let lock;
  try {
    lock = await acquireLock(config.warehousePath, {
      command: `${label} (batch ${batchId})`,
      waitMs: req.lockWaitMs ?? 0,
      signal: req.signal,
      onStale: (holder, reason) =>
        log.warn('stale warehouse lock taken over', { reason, previous_pid: holder?.pid, previous_command: holder?.command }),
    });
  } catch (e) {
    if (e instanceof LockedError) {
      log.warn('refresh skipped: warehouse locked', { what: label, holder_pid: e.holder?.pid, holder: e.holder?.command });
      return { outcome: 'locked', exitCode: EXIT.locked, batchId, summaries: [], message: `skipped: ${e.message}` };
    }
    throw e;
  }
  try {
    log.info('refresh started', { what: label, batch_id: batchId, jobs: req.jobs.map((j) => j.name).join(',') });
    const summaries = await runJobs(req.jobs, {
      config,
      log,
      trigger: req.trigger,
      triggers: req.triggers,
      batchId,
      signal: req.signal,
      models: req.models,
      sleep: deps.sleep,
      random: deps.random,
      progress: deps.progress,
    });
    const finals = finalSummaries(summaries);
    const interrupted = finals.find((s) => s.outcome === 'interrupted');
    if (interrupted || req.signal?.aborted) {
      // Also when the stop came before the first job started (every job skipped): nothing to publish.
      const message = interrupted ? `${interrupted.job}: ${interrupted.message}` : 'shutdown requested before the jobs ran';
      log.warn('refresh interrupted', { batch_id: batchId, job: interrupted?.job, reason: message });
      return { outcome: 'interrupted', exitCode: EXIT.interrupted, batchId, summaries, message };
    }
    const bad = finals.find((s) => s.outcome === 'failed' || s.outcome === 'timed_out');
    if (bad) {
      const message = `${bad.job} ${bad.outcome === 'timed_out' ? 'timed out' : 'failed'} (attempt ${bad.attempt}): ${bad.message ?? ''}`;
      log.error('refresh failed; the published state is unchanged', { batch_id: batchId, job: bad.job, error: bad.message });
      await alert({ kind: 'failure', job: bad.job, message, batchId });
      return { outcome: 'failed', exitCode: EXIT.failed, batchId, summaries, message };
    }
    const notDone = finals.find((s) => s.outcome !== 'success');
    if (notDone) {
      const message = `${notDone.job} ${notDone.outcome}: ${notDone.message ?? ''}`;
      log.error('refresh incomplete; the published state is unchanged', { batch_id: batchId, job: notDone.job, outcome: notDone.outcome });
      return { outcome: 'failed', exitCode: EXIT.failed, batchId, summaries, message };
    }
    // Files a job quarantined (the job itself succeeded with the other files): someone has to look at them.
    for (const s of finals) {
      for (const problem of s.quarantined ?? []) await alert({ kind: 'quarantine', job: s.job, message: problem, batchId });
    }
    if (req.publish === false) {
      log.info('refresh finished (not published)', { batch_id: batchId });
      return { outcome: 'success', exitCode: EXIT.ok, batchId, summaries };
    }

    // Data checks on a copy of the new state; only a copy that passes becomes what Evidence reads.
    const publishStarted = new Date();
    const firstPublish = publishedWarehouse(config.warehousePath) === null;
    let published: PublishResult;
    try {
      published = await publishWarehouse({ warehousePath: config.warehousePath, batchId, ops, now: publishStarted });
    } catch (e) {
      const message = `publish failed: ${(e as Error).message}`;
      await withOps(config, (conn) =>
        recordStep(conn, { batchId, job: 'publish', trigger: 'dependency', startedAt: publishStarted, outcome: 'failed', message }),
      );
      log.error('publish failed; the published state is unchanged', { batch_id: batchId, error: message });
      await alert({ kind: 'failure', job: 'publish', message, batchId });
      return { outcome: 'failed', exitCode: EXIT.failed, batchId, summaries, message };
    }
    const ok = published.outcome === 'published';
    // A first refresh that does not build the marts (`run regions`, `import sotkanet <dir>` on a fresh warehouse):
    // the jobs succeeded and there is simply nothing whole to publish yet. Not a failure, no alert.
    const notYet = published.outcome === 'rejected' && firstPublish && published.checks.failed.every((f) => / is missing /.test(f));
    const publishMessage =
      published.outcome === 'published'
        ? `published ${published.pointer.file}; ${published.checks.passed.length} checks passed`
        : notYet
          ? `nothing published yet: the warehouse has no ${[...new Set(published.checks.failed.map((f) => f.split(' ')[0]))].join(', ')} ` +
            'yet (run `npm run pipeline -- run all` once)'
          : published.message;
    const publishedFile = published.outcome === 'published' ? published.file : null;
    const checks = published.checks;
    await withOps(config, async (conn) => {
      await recordStep(conn, {
        batchId,
        job: 'publish',
        trigger: 'dependency',
        startedAt: publishStarted,
        outcome: ok ? 'success' : notYet ? 'skipped' : 'failed',
        message: publishMessage,
      });
      await conn.run(
        `insert into ops.publishes (publish_id, batch_id, started_at, finished_at, outcome, file, checks_passed, checks_failed, message)
         values ($id, $batch, $started::timestamptz, now(), $outcome, $file, $passed, $failed, $message)`,
        {
          id: randomUUID(),
          batch: batchId,
          started: publishStarted.toISOString(),
          outcome: published.outcome,
          file: publishedFile,
          passed: checks.passed.length,
          failed: checks.failed.length,
          message: ok ? null : redactSecrets(publishMessage),
        },
      );
    });
    if (notYet) {
      log.warn('jobs finished; not published', { batch_id: batchId, reason: publishMessage });
      return { outcome: 'success', exitCode: EXIT.ok, batchId, summaries, publish: published, message: publishMessage };
    }
    if (published.outcome === 'rejected') {
      log.error('data checks failed; the previous published state is kept', { batch_id: batchId, reason: published.message });
      await alert({ kind: 'check', job: 'publish', message: published.message, batchId });
      return { outcome: 'failed', exitCode: EXIT.failed, batchId, summaries, publish: published, message: published.message };
    }
    log.info('published', { batch_id: batchId, file: published.file, checks: published.checks.passed.length });

    if (req.rebuildSite ?? ops.publish.rebuildSite) {
      const siteStarted = new Date();
      try {
        const siteDir = await publishSite({
          warehousePath: published.file,
          siteDir: opsPaths(config.warehousePath).siteDir,
          name: timestampName(siteStarted),
          keep: ops.publish.siteKeep,
          log,
          builder: deps.siteBuilder,
          frame: config.site.frame,
        });
        await withOps(config, (conn) =>
          recordStep(conn, { batchId, job: 'site', trigger: 'dependency', startedAt: siteStarted, outcome: 'success', message: siteDir }),
        );
        // Board packs of the new site (docs/commentary.md): the real Evidence site only (a test's fake has no reports).
        if ((config.boardPack?.afterRefresh ?? false) && !deps.siteBuilder) await boardPackStep(config, batchId, published.file, siteDir, log, alert);
        return { outcome: 'success', exitCode: EXIT.ok, batchId, summaries, publish: published, siteDir };
      } catch (e) {
        const message = `site build failed (the previous site is still served): ${(e as Error).message}`;
        await withOps(config, (conn) =>
          recordStep(conn, { batchId, job: 'site', trigger: 'dependency', startedAt: siteStarted, outcome: 'failed', message }),
        );
        log.error('site build failed', { batch_id: batchId, error: (e as Error).message });
        await alert({ kind: 'failure', job: 'site', message, batchId });
        return { outcome: 'failed', exitCode: EXIT.failed, batchId, summaries, publish: published, message };
      }
    }
    return { outcome: 'success', exitCode: EXIT.ok, batchId, summaries, publish: published };
  } finally {
    // The run history in the published state follows every refresh (its marts only follow a good publish).
    try {
      const synced = await syncStatusMarts({ warehousePath: config.warehousePath, ops });
      if (synced) log.info('run history published', { file: synced });
    } catch (e) {
      log.warn('run history not published', { error: (e as Error).message });
    }
    lock.release();
  }
}

/**
 * The `board-pack` step after a rebuilt site: every organisation's latest board report to PDF. A failure is recorded
 * and alerted but does not undo the refresh (the data and the site are published already).
 */
async function boardPackStep(config: ResolvedConfig, batchId: string, warehousePath: string, siteDir: string, log: Logger, alert: AlertSender): Promise<void> {
  const started = new Date();
  try {
    const packs = await writeBoardPacks({ warehousePath, siteDir, outDir: boardPackDir(config.warehousePath), log });
    await withOps(config, (conn) =>
      recordStep(conn, { batchId, job: 'board-pack', trigger: 'dependency', startedAt: started, outcome: 'success', rows: packs.length, message: `${packs.length} board packs` }),
    );
  } catch (e) {
    const message = `board packs failed: ${(e as Error).message}`;
    log.error('board packs failed', { batch_id: batchId, error: (e as Error).message });
    await withOps(config, (conn) => recordStep(conn, { batchId, job: 'board-pack', trigger: 'dependency', startedAt: started, outcome: 'failed', message }));
    await alert({ kind: 'failure', job: 'board-pack', message, batchId });
  }
}

export type FreshnessLevel = 'ok' | 'warn' | 'error' | 'never';

export interface Freshness {
  job: string;
  lastSuccess: Date | null;
  ageMs: number | null;
  level: FreshnessLevel;
  warnAfterMs: number;
  errorAfterMs: number;
}

/** Freshness per job with a `freshness` SLA: time since its last successful run. */
export async function freshness(conn: DuckDBConnection, ops: ResolvedOps, now: Date = new Date()): Promise<Freshness[]> {
  const rows = (await conn.runAndReadAll(
    `select job, max(finished_at)::varchar as last from ops.runs where outcome = 'success' group by job`,
  )).getRowObjectsJS() as { job: string; last: string | null }[];
  const last = new Map(rows.map((r) => [r.job, r.last ? new Date(r.last) : null]));
  const out: Freshness[] = [];
  for (const name of Object.keys(ops.jobs)) {
    const f = jobOps(ops, name).freshness;
    if (!f) continue;
    const at = last.get(name) ?? null;
    const ageMs = at ? now.getTime() - at.getTime() : null;
    const level: FreshnessLevel =
      ageMs === null ? 'never' : ageMs > f.errorAfterMs ? 'error' : ageMs > f.warnAfterMs ? 'warn' : 'ok';
    out.push({ job: name, lastSuccess: at, ageMs, level, ...f });
  }
  return out;
}

export { publishedWarehouse };
