-- One plan file's load in ops.file_loads (source plan_agreements or plan_budgets; read as the view ops.plan_loads).
insert into ops.file_loads (load_id, run_id, source, source_file, file_hash, file_bytes, periods, rows_read, rows_loaded,
    rows_rejected, rows_replaced, status)
values ($load_id, $run_id, $source, $file, $hash, $bytes, $periods, $read, $loaded, $rejected, $replaced, 'loaded');
