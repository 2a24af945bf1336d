-- One unit-data file's load in ops.unit_data_loads.
insert into ops.unit_data_loads (load_id, run_id, source_file, file_hash, file_bytes, period_start, period_end,
    rows_read, rows_loaded, rows_rejected, rows_replaced, status, message)
values ($load_id, $run_id, $file, $hash, $bytes, cast($first as date), cast($last as date), $read, $loaded, $rejected,
        $replaced, 'loaded', null);
