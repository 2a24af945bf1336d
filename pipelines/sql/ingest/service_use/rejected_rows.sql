-- The lines of one service-use extract that DuckDB's reader rejected (temp.su_struct) into ops.rejected_rows:
-- file ($source_file), line, column and reason.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'service_use', $source_file, line, column_name, reason, csv_line
from temp.su_struct;
