-- Sotkanet indicator 127 (population 31.12.), one row per municipality and year, on current boundaries.
create or replace table staging.stg_sotkanet__population as
select
    127                               as indicator_id,
    municipality_code,
    cast(year as integer)             as year,
    cast(population as bigint)        as population,
    source_file,
    source_line
from raw.sotkanet_population
where regexp_full_match(municipality_code, '[0-9]{3}')
  and try_cast(year as integer) between 1900 and 2100
  and try_cast(population as bigint) >= 0;
