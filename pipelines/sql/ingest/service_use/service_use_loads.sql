-- One service-use extract's load in ops.service_use_loads. When it replaced staging rows ($replaced > 0), earlier
-- loads of the same source with no staging rows left are marked superseded by it first.
update ops.service_use_loads set status = 'superseded', superseded_by = $load_id
where $replaced > 0 and source_name = $source and status = 'loaded'
  and load_id not in (select distinct load_id from staging.stg_service_use__monthly);

insert into ops.service_use_loads (load_id, run_id, source_name, source_file, file_hash, file_bytes, file_format,
    extract_kind, period_start, period_end, rows_read, rows_loaded, rows_rejected, status, message,
    unrecognised_columns, measure_like_columns)
values ($load_id, $run_id, $source, $file, $hash, $bytes, $format, $kind, cast($first as date), cast($last as date),
        $read, $loaded, $rejected, 'loaded', $message, $unrecognised, $measure_like);
