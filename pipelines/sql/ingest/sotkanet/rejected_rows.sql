-- An indicator that answered empty although the warehouse holds rows of it: one ops.rejected_rows row naming the
-- file and the reason ($reason); its rows and data-updated stay.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
values ($run_id, 'sotkanet', $file, null, null, $reason, null);
