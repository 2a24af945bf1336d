/**
 * Alerting hook: on a failed refresh or a freshness SLA breach, run the configured command and/or POST
 * `{"text": ...}` to the configured URL (a Teams or Slack incoming webhook). An alert that cannot be delivered is
 * logged, never thrown: alerting must not turn a failed refresh into a crashed scheduler.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import { redactSecrets, registerSecret } from '../safe-text.js';
import type { ResolvedOps } from '../settings/ops.js';

export type AlertKind = 'failure' | 'check' | 'sla' | 'quarantine';

export interface Alert {
  kind: AlertKind;
  job: string;
  message: string;
  batchId?: string;
}

export type AlertSender = (alert: Alert) => Promise<void>;

const LABEL: Record<AlertKind, string> = {
  failure: 'Päivitys epäonnistui / refresh failed',
  check: 'Tarkistus hylkäsi päivityksen / data check rejected the refresh',
  sla: 'Tieto vanhentunut / data is stale',
  quarantine: 'Tiedosto siirrettiin karanteeniin / input file quarantined',
};

export function alertText(a: Alert, host = hostname()): string {
  return redactSecrets(`[tiedolla-johtaminen@${host}] ${LABEL[a.kind]}: ${a.job}: ${a.message}`).slice(0, 1500);
}

function runCommand(command: string, a: Alert, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, {
      shell: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, ALERT_KIND: a.kind, ALERT_JOB: a.job, ALERT_MESSAGE: text, ALERT_BATCH_ID: a.batchId ?? '' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`alert command did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`alert command exited ${code}: ${stderr.trim().slice(0, 200)}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${text}\n`);
  });
}

async function post(url: string, a: Alert, text: string, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, kind: a.kind, job: a.job, batch_id: a.batchId ?? null, host: hostname() }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Never the URL: a webhook URL is itself the secret.
  if (!res.ok) throw new Error(`alert POST to the webhook answered ${res.status}`);
}

/** The configured sender; a no-op when neither a command nor a URL is set, or when the kind is turned off. */
export function createAlertSender(cfg: ResolvedOps['alerts'], log: Logger): AlertSender {
  registerSecret(cfg.url);
  return async (a) => {
    if (a.kind === 'sla' ? !cfg.onSla : !cfg.onFailure) return;
    const text = alertText(a);
    const deliveries: Promise<void>[] = [];
    if (cfg.command) deliveries.push(runCommand(cfg.command, a, text, cfg.timeoutMs));
    if (cfg.url) deliveries.push(post(cfg.url, a, text, cfg.timeoutMs));
    const results = await Promise.allSettled(deliveries);
    for (const r of results) {
      if (r.status === 'rejected') log.error('alert not delivered', { kind: a.kind, job: a.job, error: redactSecrets((r.reason as Error).message) });
    }
    if (deliveries.length) log.info('alert sent', { kind: a.kind, job: a.job, delivered: results.filter((r) => r.status === 'fulfilled').length });
  };
}
