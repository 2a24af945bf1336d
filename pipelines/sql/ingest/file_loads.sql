-- One drop-folder file's load in ops.file_loads ($source commentary / unit_data; the period and replaced rows are the
-- unit data's, NULL and 0 for commentary).
insert into ops.file_loads (load_id, run_id, source, source_file, file_hash, file_bytes, period_start, period_end,
    rows_read, rows_loaded, rows_rejected, rows_replaced, status, message)
values ($load_id, $run_id, $source, $file, $hash, $bytes, cast($first as date), cast($last as date), $read, $loaded,
        $rejected, $replaced, 'loaded', null);
