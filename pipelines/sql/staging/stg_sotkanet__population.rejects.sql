-- Population rows that cannot be typed go to ops.rejected_rows with the reason.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'sotkanet_population', source_file, source_line, column_name, reason, raw_value
from (
    select source_file, source_line, 'municipality_code' as column_name,
           'not a three-digit municipality code' as reason, municipality_code as raw_value
    from raw.sotkanet_population
    where municipality_code is null or not regexp_full_match(municipality_code, '[0-9]{3}')
    union all
    select source_file, source_line, 'year', 'not a year between 1900 and 2100', year
    from raw.sotkanet_population
    where try_cast(year as integer) is null or try_cast(year as integer) not between 1900 and 2100
    union all
    select source_file, source_line, 'population', 'not a non-negative whole number', population
    from raw.sotkanet_population
    where try_cast(population as bigint) is null or try_cast(population as bigint) < 0
);
