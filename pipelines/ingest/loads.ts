/**
 * A whole input file that cannot be read (header, format) is quarantined: recorded once in ops.rejected_rows (file,
 * line, field and reason; never content) and as a 'failed' load, so the next run does not report it again until the
 * file changes. Shared by the drop-folder imports (unit data, commentary).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { InputFileError } from '../csv.js';
import { queryRows } from '../warehouse.js';
import { failedFileKey } from './inspect.js';

/** Returns false when the same failed file was recorded before (nothing written). */
export async function recordQuarantinedFile(
  conn: DuckDBConnection,
  r: { runId: string; source: string; loadsTable: 'ops.unit_data_loads' | 'ops.commentary_loads'; file: string; error: InputFileError },
): Promise<boolean> {
  const hash = failedFileKey(r.file);
  const [seen] = await queryRows<{ n: bigint }>(conn, `select count(*) as n from ${r.loadsTable} where file_hash = $hash and status = 'failed'`, { hash });
  if (Number(seen?.n ?? 0) > 0) return false;
  await conn.run(
    `insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
     values ($run_id, $source, $file, $line, $column, $reason, null)`,
    { run_id: r.runId, source: r.source, file: r.file, line: r.error.line, column: r.error.field, reason: r.error.message },
  );
  await conn.run(
    `insert into ${r.loadsTable} (load_id, run_id, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message)
     values (gen_random_uuid()::varchar, $run_id, $file, $hash, 0, 0, 0, 0, 'failed', $reason)`,
    { run_id: r.runId, file: r.file, hash, reason: r.error.message },
  );
  return true;
}
