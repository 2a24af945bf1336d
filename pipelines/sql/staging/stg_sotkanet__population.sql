-- Population 31.12. per municipality and year: Sotkanet indicator 127 through the same path as every Sotkanet
-- indicator (mirror or API → raw.sotkanet_data → staging.stg_sotkanet__values), on current boundaries.
-- marts.population_by_area reads this table.
create or replace table staging.stg_sotkanet__population as
select
    indicator_id,
    region_code                                               as municipality_code,
    year,
    cast(round(value) as bigint)                              as population,
    source_file,
    source_line
from staging.stg_sotkanet__values
where indicator_id = 127
  and region_category = 'KUNTA'
  and gender = 'total'
  and value is not null;
