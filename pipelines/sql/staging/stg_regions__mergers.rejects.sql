-- Merger rows that cannot be typed.
insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
select $run_id, 'regions_mergers', source_file, source_line, column_name, reason, raw_value
from (
    select source_file, source_line, 'merged_code' as column_name, 'not a municipality code' as reason, merged_code as raw_value
    from raw.regions_mergers where merged_code is null or not regexp_full_match(trim(merged_code), '[0-9]{1,3}')
    union all
    select source_file, source_line, 'successor_code', 'not a municipality code', successor_code
    from raw.regions_mergers where successor_code is null or not regexp_full_match(trim(successor_code), '[0-9]{1,3}')
    union all
    select source_file, source_line, 'effective_date', 'not a date (YYYY-MM-DD)', effective_date
    from raw.regions_mergers where try_cast(effective_date as date) is null
);
