/**
 * Load bookkeeping shared by the drop-folder imports (service use, unit data, commentary): whether a file with the
 * same content is already loaded (ops.service_use_loads; the others' ops.file_loads, written here: recordFileLoad), and
 * quarantine: a whole input file that cannot be read
 * (header, format) is recorded once in ops.rejected_rows (file, line, field and reason; never content) and as a
 * 'failed' load, so the next run does not report it again until the file changes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { queryRows, runSqlFile } from '../warehouse.js';
import { failedFileKey } from './inspect.js';

/** A drop folder whose loads ops.file_loads holds (pipelines/sql/ops/file_loads.sql). */
export type FileLoadSource = 'commentary' | 'unit_data';

/** A drop folder's load table (one row per file load); ops.<source>_loads are views of ops.file_loads. */
export type LoadsTable = 'ops.service_use_loads' | `ops.${FileLoadSource}_loads`;

/** Records one loaded file in ops.file_loads (the period and replaced rows are the unit data's). */
export async function recordFileLoad(
  conn: DuckDBConnection,
  r: { source: FileLoadSource; loadId: string; runId: string; file: string; hash: string; bytes: number; read: number;
       loaded: number; rejected: number; first?: string | null; last?: string | null; replaced?: number },
): Promise<void> {
  await runSqlFile(conn, 'ingest/file_loads.sql', {
    source: r.source, load_id: r.loadId, run_id: r.runId, file: r.file, hash: r.hash, bytes: r.bytes,
    first: r.first ?? null, last: r.last ?? null, read: r.read, loaded: r.loaded, rejected: r.rejected, replaced: r.replaced ?? 0,
  });
}

/** The load id of the file with this content hash (sha256) when it is already loaded, else null. */
export async function loadedFileId(conn: DuckDBConnection, loadsTable: LoadsTable, hash: string): Promise<string | null> {
  const [done] = await queryRows<{ load_id: string }>(
    conn,
    `select load_id from ${loadsTable} where file_hash = $hash and status = 'loaded' limit 1`,
    { hash },
  );
  return done?.load_id ?? null;
}

/**
 * Whether a loaded file has this size: a file of another size cannot have a loaded file's content hash, so the
 * import may start reading it before its hash is known (service-use read-extract.ts).
 */
export async function loadedFileOfSize(conn: DuckDBConnection, loadsTable: LoadsTable, bytes: number): Promise<boolean> {
  const [seen] = await queryRows<{ n: bigint }>(
    conn,
    `select count(*) as n from ${loadsTable} where file_bytes = $bytes and status = 'loaded'`,
    { bytes },
  );
  return Number(seen?.n ?? 0) > 0;
}

/** Returns false when the same failed file was recorded before (nothing written). */
export async function recordQuarantinedFile(
  conn: DuckDBConnection,
  r: { runId: string; source: FileLoadSource; file: string; error: InputFileError },
): Promise<boolean> {
  const hash = failedFileKey(r.file);
  const [seen] = await queryRows<{ n: bigint }>(
    conn,
    `select count(*) as n from ops.file_loads where source = $source and file_hash = $hash and status = 'failed'`,
    { source: r.source, hash },
  );
  if (Number(seen?.n ?? 0) > 0) return false;
  await runSqlFile(conn, 'ingest/rejected_rows.file.sql', {
    run_id: r.runId,
    source: r.source,
    file: r.file,
    line: r.error.line,
    column: r.error.field,
    reason: r.error.message,
  });
  await conn.run(
    `insert into ops.file_loads (load_id, run_id, source, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message)
     values (gen_random_uuid()::varchar, $run_id, $source, $file, $hash, 0, 0, 0, 0, 'failed', $reason)`,
    { run_id: r.runId, source: r.source, file: r.file, hash, reason: r.error.message },
  );
  return true;
}

/**
 * Imports files in order with `importOne`. With `quarantine`, a file that cannot be read at all (InputFileError) is
 * recorded (recordQuarantinedFile; logged once) and stands as `failed(file)` among the results, and the others go
 * on; without it, the first such file fails the whole import. Other errors always fail it.
 */
export async function importEachFile<R>(
  ctx: { conn: DuckDBConnection; runId: string; log: Logger },
  files: readonly string[],
  r: {
    source: FileLoadSource;
    quarantine: boolean;
    importOne: (file: string) => Promise<R>;
    failed: (file: string) => R;
  },
): Promise<{ results: R[]; quarantined: string[] }> {
  const results: R[] = [];
  const quarantined: string[] = [];
  for (const file of files) {
    try {
      results.push(await r.importOne(file));
    } catch (e) {
      if (!(r.quarantine && e instanceof InputFileError)) throw e;
      if (!(await recordQuarantinedFile(ctx.conn, { runId: ctx.runId, source: r.source, file, error: e }))) continue;
      ctx.log.error(`${r.source.replace('_', '-')} file quarantined`, { file, error: e.message });
      results.push(r.failed(file));
      quarantined.push(e.message);
    }
  }
  return { results, quarantined };
}
