-- An input file that cannot be read at all (quarantined), for every drop-folder import: one row in ops.rejected_rows
-- with the line, field and reason of the file's error ($line, $column, $reason), never its content.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
values ($run_id, $source, $file, $line, $column, $reason, null);
