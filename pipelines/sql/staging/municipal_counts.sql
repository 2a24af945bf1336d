-- staging.municipal_counts: municipal count series in one long shape, the input of
-- marts.municipal_counts_harmonised. series_id 'population' is the denominator (Sotkanet indicator 127);
-- Sotkanet absolute values come as 'sotkanet:<indicator>:<gender>'. Other sources may add their series here.
create or replace view staging.municipal_counts as
select 'population' as series_id, municipality_code, year, cast(population as double) as count_value,
       'THL / Sotkanet' as source
from staging.stg_sotkanet__population
union all
select 'sotkanet:' || indicator_id || ':' || gender, region_code, year, absolute_value, 'THL / Sotkanet'
from staging.stg_sotkanet__values
where region_category = 'KUNTA' and indicator_id <> 127;
