-- Sotkanet values, one row per indicator, region, year and gender; rows with any problem are left out (they are
-- in ops.rejected_rows). A missing value or absolute value is NULL with a flag, never 0.
create or replace table staging.stg_sotkanet__values as
select
    d.indicator_id,
    cast(d.region as bigint)                                  as region_id,
    d.region_category,
    canonical_region_code(d.region_category, d.region_code) as region_code,
    cast(d.year as integer)                                   as year,
    lower(trim(d.gender))                                     as gender,
    cast(nullif(trim(d.value), '') as double)                 as value,
    cast(nullif(trim(d.abs_value), '') as double)             as absolute_value,
    nullif(trim(d.value), '') is null                         as is_missing,
    nullif(trim(d.abs_value), '') is null                     as is_absolute_missing,
    d.source_file,
    d.source_line,
    d.loaded_at
from raw.sotkanet_data d
where not exists (
    select 1 from staging.sotkanet_data_problems p
    where p.source_file = d.source_file and p.source_line = d.source_line
);
