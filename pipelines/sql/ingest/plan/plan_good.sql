-- temp.plan_good: the lines of a plan file without a problem, normalised (temp.plan_norm).
create or replace temp table plan_good as
select * from temp.plan_norm where source_line not in (select source_line from temp.plan_problems);
