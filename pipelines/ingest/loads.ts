/**
 * Load bookkeeping shared by the drop-folder imports (service use, unit data, commentary): whether a file with the
 * same content is already loaded (ops.<source>_loads), and quarantine: a whole input file that cannot be read
 * (header, format) is recorded once in ops.rejected_rows (file, line, field and reason; never content) and as a
 * 'failed' load, so the next run does not report it again until the file changes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputFileError } from '../csv.js';
import type { Logger } from '../log.js';
import { queryRows, runSqlFile } from '../warehouse.js';
import { failedFileKey } from './inspect.js';

/** A drop folder's load table (one row per file load). */
export type LoadsTable = 'ops.service_use_loads' | 'ops.unit_data_loads' | 'ops.commentary_loads';

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
  r: { runId: string; source: string; loadsTable: Exclude<LoadsTable, 'ops.service_use_loads'>; file: string; error: InputFileError },
): Promise<boolean> {
  const hash = failedFileKey(r.file);
  const [seen] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from ${r.loadsTable} where file_hash = $hash and status = 'failed'`, { hash });
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
    `insert into ${r.loadsTable} (load_id, run_id, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message)
     values (gen_random_uuid()::varchar, $run_id, $file, $hash, 0, 0, 0, 0, 'failed', $reason)`,
    { run_id: r.runId, file: r.file, hash, reason: r.error.message },
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
    source: string;
    loadsTable: Exclude<LoadsTable, 'ops.service_use_loads'>;
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
      if (!(await recordQuarantinedFile(ctx.conn, { runId: ctx.runId, source: r.source, loadsTable: r.loadsTable, file, error: e }))) continue;
      ctx.log.error(`${r.source.replace('_', '-')} file quarantined`, { file, error: e.message });
      results.push(r.failed(file));
      quarantined.push(e.message);
    }
  }
  return { results, quarantined };
}
