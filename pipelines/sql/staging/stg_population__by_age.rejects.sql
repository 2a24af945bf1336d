-- This run's rejected population cells and rows, with reasons: the parsers' cell problems (non-numeric or negative
-- values, incomplete age groups), unknown municipalities, repeated keys. `line` holds the position: the CSV line,
-- or for JSON-stat2 the value index (the reason says which).
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'population', source_file, position, field,
       reason || case when position_kind = 'value_index' then ' (JSON-stat2 value index ' || position || ')' else '' end,
       raw_value
from raw.population_problems
union all
select $run_id, 'population', source_file, position, 'municipality',
       'unknown municipality: not a code or a Finnish/Swedish name in the Statistics Finland municipality key'
           || case when position_kind = 'value_index' then ' (JSON-stat2 value index ' || position || ')' else '' end,
       municipality
from intermediate.int_population__rows
where municipality_code is null
union all
select $run_id, 'population', source_file, position, 'municipality',
       'duplicate: municipality ' || municipality_code || ', year ' || year || ', age group ' || age_group
           || ' and variant ' || variant || ' already given at position ' || first_position,
       municipality
from intermediate.int_population__rows
where dup_rank > 1;
