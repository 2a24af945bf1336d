-- One unit-data file's problems (temp.ud_problems: line, column, reason) into ops.rejected_rows, file $file.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'unit_data', $file, source_line, column_name, reason, raw_value
from temp.ud_problems order by source_line, column_name;
