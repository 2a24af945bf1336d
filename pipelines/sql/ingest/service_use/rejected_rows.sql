-- One service-use extract's rejects into ops.rejected_rows (file $source_file, line, column, reason), in line order:
-- the lines DuckDB's reader rejected (temp.su_struct), and the rows of the bad groups of temp.su_groups (bad_rows,
-- kept by the one read of the file). A row's `rn` is its position among the rows the reader accepted: its line is
-- that plus the header and every rejected line before it (with the lines an unterminated quote ran over); a
-- converted workbook's rn is already its worksheet row ($line_column).
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
with bad as (select unnest(bad_rows) as r from temp.su_groups where bad_column is not null),
lines as (
    select line, column_name, reason, csv_line as raw_value from temp.su_struct
    union all
    select case when $line_column then r.rn
                else r.rn + 1 + (select coalesce(sum(1 + s.swallowed), 0) from temp.su_struct s where s.good_before < r.rn) end,
           r.column_name, r.reason, r.value
    from bad)
select $run_id, 'service_use', $source_file, line, column_name, reason, raw_value
from lines
order by line, column_name;
