-- Rows of the municipality key that cannot be typed go to ops.rejected_rows with the reason.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'statfi_municipality_key', source_file, source_line, column_name, reason, raw_value
from (
    select source_file, source_line, 'year' as column_name,
           'not a year between 1900 and 2100' as reason, year as raw_value
    from raw.statfi_municipality_key
    where try_cast(year as integer) is null or try_cast(year as integer) not between 1900 and 2100
    union all
    select source_file, source_line, 'municipality_code', 'not a three-digit municipality code', municipality_code
    from raw.statfi_municipality_key
    where municipality_code is null or not regexp_full_match(municipality_code, '[0-9]{3}')
);
