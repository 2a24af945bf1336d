/**
 * The online refresh: fetch what changed from the Sotkanet API into a temporary mirror directory, then load it
 * through the same loader as an offline mirror. Conditional: an indicator is refetched only when its
 * `data-updated` differs from the one in the warehouse (or when forced), as THL asks for batch use, not polling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../log.js';
import { SotkanetClient } from './client.js';
import type { ResolvedSotkanet } from '../settings/sotkanet.js';
import { importSotkanetDir, pruneUnconfigured, storedDataUpdated, type ImportResult } from './load.js';
import { mirrorSotkanet } from './mirror.js';

export function clientFor(cfg: ResolvedSotkanet, log?: Logger, signal?: AbortSignal): SotkanetClient {
  return new SotkanetClient({
    baseUrl: cfg.baseUrl,
    userAgent: cfg.userAgent,
    timeoutMs: cfg.timeoutMs,
    deadlineMs: cfg.deadlineMs,
    retries: cfg.retries,
    backoffBaseMs: cfg.backoffBaseMs,
    backoffMaxMs: cfg.backoffMaxMs,
    log,
    signal,
  });
}

export async function refreshOnline(
  conn: DuckDBConnection,
  cfg: ResolvedSotkanet,
  opts: { runId: string; log?: Logger; client?: SotkanetClient; signal?: AbortSignal },
): Promise<ImportResult & { unchanged: number[]; requests: number }> {
  const client = opts.client ?? clientFor(cfg, opts.log, opts.signal);
  const stored = await storedDataUpdated(conn);
  const dir = mkdtempSync(join(tmpdir(), 'tj-sotkanet-'));
  try {
    const fetched = await mirrorSotkanet(client, dir, {
      format: cfg.format,
      indicators: cfg.indicators,
      force: cfg.force,
      previous: (id) => (stored.has(id) ? (stored.get(id) ?? null) : undefined),
      log: opts.log,
    });
    // Indicators dropped from the configuration go; unchanged ones keep their rows; the regions and configured
    // perspectives are refreshed regardless.
    const removed = await pruneUnconfigured(conn, cfg.indicators);
    if (removed.length) opts.log?.info('sotkanet indicators no longer configured, removed', { indicators: removed.join(',') });
    const result = await importSotkanetDir(conn, dir, {
      runId: opts.runId,
      indicators: cfg.indicators,
      only: fetched.fetched,
      log: opts.log,
    });
    opts.log?.info('sotkanet refresh', {
      fetched: fetched.fetched.join(',') || 'none',
      unchanged: fetched.unchanged.join(',') || 'none',
      requests: client.requests,
    });
    return { ...result, unchanged: fetched.unchanged, requests: client.requests };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
