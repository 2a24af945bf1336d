-- The lines of one service-use extract that DuckDB's CSV reader rejected itself (wrong column count, broken quotes,
-- bad encoding), from its reject table temp.su_rej1: one row per line (DuckDB reports a short line once per missing
-- column). An unterminated quote runs over the following lines (`swallowed`: they are in its csv_line): the reason
-- says which, and they count as read and rejected, never silently lost. good_before: the good rows before the line
-- (for the line numbers of the row-level rejects, read-sql.ts rejectsInsertSql).
create or replace temp table su_struct as
with per_line as (
    select line, arg_min(column_name, coalesce(column_idx, -1)) as column_name,
           arg_min(error_type || coalesce(': ' || error_message, ''), coalesce(column_idx, -1)) as reason,
           any_value(csv_line) as csv_line,
           bool_or(error_type = 'UNQUOTED VALUE') as unquoted
    from temp.su_rej1 group by line),
spans as (
    select * exclude (unquoted, reason),
           case when unquoted then length(rtrim(csv_line, chr(13) || chr(10))) - length(replace(rtrim(csv_line, chr(13) || chr(10)), chr(10), ''))
                else 0 end as swallowed,
           reason
    from per_line)
select line, column_name,
       reason || case when swallowed > 0 then '; it runs over the next ' || swallowed || ' line(s), to line ' || (line + swallowed)
                      || ', which were not loaded' else '' end as reason,
       csv_line, swallowed,
       line - 1 - row_number() over (order by line)
            - coalesce(sum(swallowed) over (order by line rows between unbounded preceding and 1 preceding), 0) as good_before
from spans;
