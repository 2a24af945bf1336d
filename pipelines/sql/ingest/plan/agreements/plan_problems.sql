-- A duplicate key among a service-agreement file's otherwise good lines, added to temp.plan_problems: the first one loads.
insert into temp.plan_problems
select source_line, 'municipality_code', 'duplicate of line ' || first_line || ' (same year, month, municipality, specialty and service type)'
from (select source_line, min(source_line) over (partition by organiser, year, month, coalesce(municipality_norm, ''), specialty_norm, service_type_norm) as first_line
      from temp.plan_norm where source_line not in (select source_line from temp.plan_problems)) where source_line > first_line;
