-- A quarantined service-use extract in ops.service_use_loads: status 'failed', keyed by the failed file's key
-- ($hash), so an unchanged failed file is not reported again.
insert into ops.service_use_loads (load_id, run_id, source_name, source_file, file_hash, file_bytes, file_format,
    rows_read, rows_loaded, rows_rejected, status, message)
values (gen_random_uuid()::varchar, $run_id, $file, $file, $hash, $bytes, 'unknown', 0, 0, 0, 'failed', $reason);
