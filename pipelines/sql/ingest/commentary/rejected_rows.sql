-- One commentary file's problems (temp.cm_problems: line, column, reason; never the comment's text) into
-- ops.rejected_rows, file $file.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'commentary', $file, source_line, column_name, reason, raw_value
from temp.cm_problems order by source_line, column_name;
