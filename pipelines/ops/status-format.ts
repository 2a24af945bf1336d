/**
 * How the status, history and rejects commands print (pipelines/ops/commands.ts): plain-text tables, times in the
 * scheduler's time zone, durations. Pure: data in, text out.
 */
import type { ResolvedConfig } from '../settings/pipeline.js';
import { defaultOps, jobOps } from '../settings/ops.js';
import { nextRun } from './scheduler.js';
import type { StatusData } from './status-read.js';

export function table(header: string[], body: (string | number | null | undefined)[][]): string {
  const cells = [header, ...body.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return `${cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}

export const localTime = (d: Date | string | null | undefined, tz: string): string =>
  d ? new Date(d).toLocaleString('sv-SE', { timeZone: tz }) : '-';

export function duration(ms: number | bigint | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  const s = Number(ms) / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : s < 3600 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}

export function hours(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return ms < 72 * 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 86_400_000).toFixed(1)} d`;
}

const PROBLEMS = ['failed', 'timed_out', 'interrupted'];

/** `status`: the header lines, one table row per job (and publish, site), the last problem; with the count of problems. */
export function formatStatus(cfg: ResolvedConfig, names: readonly string[], s: StatusData): { text: string; problems: number } {
  const ops = cfg.ops ?? defaultOps();
  const tz = ops.scheduler.timezone;
  const { lock, heartbeat, pointer } = s;
  const out: string[] = [];
  out.push(`Varasto / warehouse: ${cfg.warehousePath}`);
  out.push(
    `Lukko / lock: ${lock ? `${s.lockAlive ? 'held' : 'STALE (process gone)'} by pid ${lock.pid} on ${lock.host} since ${localTime(lock.started_at, tz)}: ${lock.command}` : 'free'}`,
  );
  out.push(
    `Ajastin / scheduler: ${heartbeat ? `${s.heartbeatAlive ? 'running' : 'NOT RUNNING (stale heartbeat)'} pid ${heartbeat.pid}, ${heartbeat.state}${heartbeat.running ? ` ${heartbeat.running}` : ''}, heartbeat ${hours(s.heartbeatAgeMs)} ago` : 'not running'}`,
  );
  out.push(`Julkaistu / published: ${pointer ? `${pointer.file} at ${localTime(pointer.published_at, tz)} (${Object.keys(pointer.tables).length} marts)` : 'nothing published yet'}`);
  out.push(`Sivusto / site: ${s.site ?? 'no published site build'}`);
  if (s.note) out.push(s.note);
  let problems = 0;
  const body = names.map((name) => {
    const r = s.last.get(name);
    const f = s.fresh.get(name);
    const o = jobOps(ops, name);
    const next = o.schedule ? nextRun(o.schedule, o.timezone) : null;
    if (r && PROBLEMS.includes(r.outcome)) problems++;
    if (f?.level === 'error') problems++;
    return [
      name,
      r ? localTime(r.started_at, tz) : 'never',
      r?.outcome,
      r?.attempt,
      duration(r?.duration_ms),
      f ? `${f.level} (${hours(f.ageMs)}; warn ${hours(f.warnAfterMs)}, error ${hours(f.errorAfterMs)})` : '-',
      next ? `${localTime(next, o.timezone)} (${o.schedule})` : o.schedule === null ? 'not scheduled' : '-',
    ];
  });
  out.push('');
  out.push(table(['job', `last run (${tz})`, 'outcome', 'attempt', 'duration', 'freshness', 'next run'], body).trimEnd());
  const lastFailure = [...s.last.values()].find((r) => PROBLEMS.includes(r.outcome));
  if (lastFailure) out.push(`\nViimeisin virhe / last problem: ${lastFailure.job} ${lastFailure.outcome}: ${lastFailure.message ?? ''}`);
  return { text: `${out.join('\n')}\n`, problems };
}

/** validate-config's lines about operations: schedules with their next run, SLAs, alerts. */
export function describeOps(cfg: ResolvedConfig): string {
  const ops = cfg.ops ?? defaultOps();
  const lines = [`Scheduler: time zone ${ops.scheduler.timezone}, heartbeat every ${ops.scheduler.heartbeatIntervalMs / 1000} s`];
  for (const [name, s] of Object.entries(ops.jobs)) {
    const next = s.schedule ? nextRun(s.schedule, s.timezone) : null;
    lines.push(
      `  ${name}: ${s.schedule ? `"${s.schedule}" (${s.timezone}), next ${localTime(next, s.timezone)}` : 'not scheduled'}; timeout ${duration(s.timeoutMs)}; ${s.retry.attempts} attempt(s)${s.freshness ? `; fresh: warn ${hours(s.freshness.warnAfterMs)}, error ${hours(s.freshness.errorAfterMs)}` : ''}`,
    );
  }
  lines.push(`Publish: keep ${ops.publish.keep}, rebuild site ${ops.publish.rebuildSite ? 'yes' : 'no'}, checks: ${Object.keys(ops.publish.checks.minRows).length} min_rows, ${Object.keys(ops.publish.checks.uniqueKeys).length} unique_keys, max_row_drop ${ops.publish.checks.maxRowDrop}`);
  lines.push(`Alerts: ${[ops.alerts.command && `command`, ops.alerts.url && `POST ${new URL(ops.alerts.url).host}`].filter(Boolean).join(' + ') || 'none configured'}`);
  return `${lines.join('\n')}\n`;
}
