-- This run's rejected Sotkanet data rows, with reasons.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'sotkanet_data', source_file, source_line, column_name, reason, raw_value
from staging.sotkanet_data_problems
where run_id = $run_id;
