/**
 * What the status, history and rejects commands read (pipelines/ops/commands.ts formats and prints it): the working
 * warehouse read-only, or while a refresh holds it the published copy; the lock, the scheduler's heartbeat, the
 * published pointer and site. IO only, no formatting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedConfig } from '../settings/pipeline.js';
import { currentSiteLink } from '../site.js';
import { sqlString } from '../warehouse.js';
import { defaultOps } from '../settings/ops.js';
import { isAlive } from '../processes.js';
import { CommandExit } from './command-exit.js';
import { lockPathFor, readLock, type LockInfo } from './lock.js';
import { opsPaths, publishedWarehouse, readPointer } from './publish.js';
import { EXIT, freshness, type Freshness } from './refresh.js';

/**
 * A published file holds only marts: its run history is marts.data_status_runs (the last 20 runs per job), its
 * rejects marts.data_status_rejects (counts per file and reason). It is attached read-only to an in-memory database
 * in which ops.runs, ops.run_history and ops.rejects are views of those marts.
 */
async function openPublished(file: string): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const columns = `run_id, batch_id, job, trigger, attempt, outcome, started_at, finished_at, rows_read, rows_loaded,
    rows_rejected, message`;
  await conn.run(`attach ${sqlString(file)} as published (read_only);
    create schema ops;
    create view ops.runs as select ${columns} from published.marts.data_status_runs;
    create view ops.run_history as select ${columns}, duration_ms from published.marts.data_status_runs order by started_at desc;
    create view ops.rejects as
      select source, file_name as source_file, null::bigint as line, column_name, reason, null::varchar as raw_value,
             null::varchar as run_id, last_rejected_at as rejected_at
      from published.marts.data_status_rejects, range(rejected_rows) r;`);
  return { conn, close: () => (conn.closeSync(), instance.closeSync()) };
}

/** Opens the working warehouse read-only; while a refresh holds it, the published copy (as of its publish). */
export async function openReadable(cfg: ResolvedConfig): Promise<{ conn: DuckDBConnection; note: string; close(): void } | null> {
  const candidates: [string, string][] = [[cfg.warehousePath, '']];
  const published = publishedWarehouse(cfg.warehousePath);
  if (published) candidates.push([published, `(the warehouse is busy: history as of the last publish, ${published})`]);
  let lastError: Error | undefined;
  for (const [file, note] of candidates) {
    if (!existsSync(file)) continue;
    try {
      if (note) return { ...(await openPublished(file)), note };
      const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
      const conn = await instance.connect();
      return { conn, note, close: () => (conn.closeSync(), instance.closeSync()) };
    } catch (e) {
      lastError = e as Error;
    }
  }
  if (lastError) throw new CommandExit(`cannot read the warehouse: ${lastError.message}`, EXIT.failed);
  return null;
}

export async function rows<T>(conn: DuckDBConnection, sql: string, params?: Record<string, string | number>): Promise<T[]> {
  return (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as T[];
}

export interface HistoryRow {
  run_id: string;
  batch_id: string | null;
  job: string;
  trigger: string;
  attempt: number | null;
  outcome: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: bigint | null;
  rows_read: bigint | null;
  rows_loaded: bigint | null;
  rows_rejected: bigint | null;
  message: string | null;
}

export const HISTORY_SQL = `select run_id, batch_id, job, trigger, attempt, outcome, started_at::varchar as started_at,
  finished_at::varchar as finished_at, duration_ms, rows_read, rows_loaded, rows_rejected, message from ops.run_history`;

/** The rejects' sources per job: `rejects <job>` answers with the job's name as well as with a source name. */
export const JOB_SOURCES: Record<string, readonly string[]> = {
  regions: ['regions_mergers', 'statfi_municipality_key'],
  sotkanet: ['sotkanet', 'sotkanet_data'],
  'service-use': ['service_use'],
  'unit-data': ['unit_data'],
  population: ['population'],
};

export interface Heartbeat {
  pid: number;
  updated_at: string;
  state: string;
  running: string | null;
}

/** Everything `status` shows, as read. */
export interface StatusData {
  lock: LockInfo | null;
  /** The lock's process still runs (else the lock is stale). */
  lockAlive: boolean;
  heartbeat: Heartbeat | null;
  /** Milliseconds since the heartbeat was written; alive: its process runs and it is recent. */
  heartbeatAgeMs: number | null;
  heartbeatAlive: boolean;
  pointer: ReturnType<typeof readPointer>;
  site: string | null;
  /** The last run of each job (retries aside), newest first. */
  last: Map<string, HistoryRow>;
  fresh: Map<string, Freshness>;
  note: string;
}

export async function readStatus(cfg: ResolvedConfig): Promise<StatusData> {
  const ops = cfg.ops ?? defaultOps();
  const paths = opsPaths(cfg.warehousePath);
  let heartbeat: Heartbeat | null = null;
  try {
    heartbeat = JSON.parse(readFileSync(paths.heartbeat, 'utf8'));
  } catch {
    heartbeat = null;
  }
  const heartbeatAgeMs = heartbeat ? Date.now() - Date.parse(heartbeat.updated_at) : null;
  const heartbeatAlive =
    heartbeat !== null && isAlive(heartbeat.pid) && (heartbeatAgeMs ?? Infinity) < 3 * ops.scheduler.heartbeatIntervalMs + 5000;
  const site = currentSiteLink(paths.siteDir);
  const lock = readLock(lockPathFor(cfg.warehousePath));
  const data: StatusData = {
    lock,
    lockAlive: lock !== null && isAlive(lock.pid),
    heartbeat,
    heartbeatAgeMs,
    heartbeatAlive,
    pointer: readPointer(cfg.warehousePath),
    site: existsSync(site) ? site : null,
    last: new Map(),
    fresh: new Map(),
    note: '',
  };
  const db = await openReadable(cfg);
  if (db) {
    try {
      for (const r of await rows<HistoryRow>(db.conn, `${HISTORY_SQL} where outcome <> 'retried'`)) if (!data.last.has(r.job)) data.last.set(r.job, r);
      for (const f of await freshness(db.conn, ops)) data.fresh.set(f.job, f);
      data.note = db.note;
    } finally {
      db.close();
    }
  }
  return data;
}
