-- temp.plan_checks: the problems of a plan file's lines that the input contract (temp.plan_contract) defines, one
-- row per line × column × problem: a required column missing (priority 0), a value not of its column's kind (1).
-- The source's own checks (codes, versions) are added by <source>/plan_checks.sql.
create or replace temp table plan_checks as
with
texts as (  -- one row per line × column of the contract: its text
    select source_line, replace(column_name, '_text', '') as column_name, text
    from (select source_line, columns('_text$') from temp.plan_norm)
    unpivot include nulls (text for column_name in (columns(* exclude (source_line))))
),
vals as (  -- and its typed value, for the columns of a kind other than code
    select source_line, column_name, value
    from (select source_line, columns('^(year|month|visits|care_periods|bed_days|cost_eur|euros|version)$')::double as '\1' from temp.plan_norm)
    unpivot include nulls (value for column_name in (columns(* exclude (source_line))))
),
long as (select t.source_line, t.column_name, t.text, v.value from texts t left join vals v using (source_line, column_name))
select l.source_line, l.column_name, 'missing' as reason, 0 as prio
from long l join temp.plan_contract c using (column_name)
where c.required and l.text is null
union all
select l.source_line, l.column_name,
       case c.kind when 'year' then 'not a year 2000-2100' when 'month' then 'not a month 1-12 or YYYY-MM of the row''s year'
                   when 'count' then 'not a whole number ≥ 0' when 'euros' then 'not a number of euros'
                   when 'version' then 'not a version number ≥ 1' end,
       1
from long l join temp.plan_contract c using (column_name)
where l.text is not null
  and case c.kind when 'year' then l.value is null or l.value <> floor(l.value) or l.value not between 2000 and 2100
                  when 'month' then l.value is null
                  when 'count' then l.value is null or l.value < 0 or l.value <> floor(l.value)
                  when 'euros' then l.value is null
                  when 'version' then l.value is null or l.value < 1 or l.value <> floor(l.value)
                  else false end;
