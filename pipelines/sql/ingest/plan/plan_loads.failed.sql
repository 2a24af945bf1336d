-- A quarantined plan file in ops.file_loads (the view ops.plan_loads): status 'failed', keyed by the failed file's
-- key ($hash), so an unchanged failed file is not reported again.
insert into ops.file_loads (load_id, run_id, source, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message)
values (gen_random_uuid()::varchar, $run_id, $source, $file, $hash, 0, 0, 0, 0, 'failed', $reason);
