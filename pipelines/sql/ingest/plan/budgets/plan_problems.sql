-- A duplicate key among a budget file's otherwise good lines, added to temp.plan_problems: the first one loads.
insert into temp.plan_problems
select source_line, 'account_group', 'duplicate of line ' || first_line || ' (same year, month, organisation and account group)'
from (select source_line, min(source_line) over (partition by organisation, year, month, account_group_norm) as first_line
      from temp.plan_norm where source_line not in (select source_line from temp.plan_problems)) where source_line > first_line;
