-- One commentary file's load in ops.commentary_loads.
insert into ops.commentary_loads (load_id, run_id, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message)
values ($load_id, $run_id, $file, $hash, $bytes, $read, $loaded, $rejected, 'loaded', null);
