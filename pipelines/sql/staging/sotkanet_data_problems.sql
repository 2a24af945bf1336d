-- Every problem found in raw.sotkanet_data, one row per problem: the loader copies this run's problems to
-- ops.rejected_rows (stg_sotkanet__values.rejects.sql), and staging keeps only rows without any.
create or replace view staging.sotkanet_data_problems as
with d as (
    select *,
           row_number() over (
               partition by indicator_id, region_category, region_code, trim(year), lower(trim(gender))
               order by source_file, source_line
           ) as duplicate_rank
    from raw.sotkanet_data
)
select run_id, source_file, source_line, 'indicator' as column_name,
       'indicator id does not match the file (indicator ' || indicator_id || ')' as reason, indicator as raw_value
from d where try_cast(indicator as integer) is distinct from indicator_id
union all
select run_id, source_file, source_line, 'region', 'not a Sotkanet region id', region
from d where try_cast(region as bigint) is null
union all
select run_id, source_file, source_line, 'region', 'unknown Sotkanet region id (not in the regions list)', region
from d where try_cast(region as bigint) is not null and region_category is null
union all
select run_id, source_file, source_line, 'year', 'not a year between 1900 and 2100', year
from d where try_cast(year as integer) is null or try_cast(year as integer) not between 1900 and 2100
union all
select run_id, source_file, source_line, 'gender', 'not one of total, male, female', gender
from d where gender is null or lower(trim(gender)) not in ('total', 'male', 'female')
union all
select run_id, source_file, source_line, 'primary value', 'not a number', value
from d where nullif(trim(value), '') is not null and try_cast(trim(value) as double) is null
union all
select run_id, source_file, source_line, 'absolute value', 'not a number', abs_value
from d where nullif(trim(abs_value), '') is not null and try_cast(trim(abs_value) as double) is null
union all
select run_id, source_file, source_line, 'region',
       'duplicate of an earlier row for the same indicator, region, year and gender', region
from d where duplicate_rank > 1;
