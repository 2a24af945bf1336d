-- One plan file's problems (temp.plan_problems: line, column, reason) into ops.rejected_rows, source $source
-- (plan_agreements, plan_budgets), file $file. Never the line's content.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, $source, $file, source_line, column_name, reason, null from temp.plan_problems order by source_line;
