-- temp.plan_problems: one row per bad line of a plan file with its first problem (temp.plan_checks: the lowest
-- priority, then the earliest column of the contract). Never the line's content. The duplicates among the otherwise
-- good lines are added by <source>/plan_problems.sql.
create or replace temp table plan_problems as
select p.source_line, arg_min(p.column_name, p.prio * 100 + coalesce(c.position, 99)) as column_name,
       arg_min(p.reason, p.prio * 100 + coalesce(c.position, 99)) as reason
from temp.plan_checks p left join temp.plan_contract c using (column_name)
group by p.source_line;
