-- staging.municipal_counts: municipal count series in one long shape, the input of
-- marts.municipal_counts_harmonised. series_id 'population' is the default denominator (Sotkanet indicator 127);
-- Sotkanet absolute values come as 'sotkanet:<indicator>:<gender>' with their own denominator (the population the
-- indicator is a rate of, e.g. residents aged 75+: absolute value / value × the rate's scale; NULL for indexes,
-- euros and ratios, which have none). Other sources may add their series here (denominator NULL = population).
create or replace view staging.municipal_counts as
select 'population' as series_id, municipality_code, year, cast(population as double) as count_value,
       null::double as denominator, 'THL / Sotkanet' as source
from staging.stg_sotkanet__population
union all
select 'sotkanet:' || v.indicator_id || ':' || v.gender, v.region_code, v.year, v.absolute_value,
       v.absolute_value / nullif(v.value, 0) * case i.value_type when 'PROS' then 100 when 'PER1000' then 1000
           when 'PER10000' then 10000 when 'PER100000' then 100000 end,
       'THL / Sotkanet'
from staging.stg_sotkanet__values v
join staging.stg_sotkanet__indicators i using (indicator_id)
where v.region_category = 'KUNTA' and v.indicator_id <> 127;
