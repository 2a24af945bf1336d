-- marts.sotkanet_values: PUBLIC CONTRACT (docs/sotkanet.md). One row per indicator, region, year and gender.
-- The first ten columns are the contract, in this order; the rest may grow.
--   region_id       Sotkanet's own region id (as loaded; ids of some regions have changed: join on
--                   region_category + region_code)
--   region_code     canonical official code (municipality three digits; other numeric codes without leading zeros)
--   value           the indicator's primary value; absolute_value its absolute count when Sotkanet gives one
--   is_missing      value missing (suppressed or not available): value is NULL, never 0
create or replace view marts.sotkanet_values as
select
    v.indicator_id,
    v.region_id,
    v.region_category,
    v.region_code,
    coalesce(r.region_name_fi, rr.name_fi)                         as region_name_fi,
    v.year,
    v.gender,
    v.value,
    v.absolute_value,
    v.is_missing,
    v.is_absolute_missing,
    i.title_fi                                                     as indicator_title_fi,
    i.perspective,
    i.value_type,
    i.is_synthetic,
    i.source,
    i.producer,
    v.loaded_at,
    -- Sotkanet's Swedish and English names (the Finnish one where it has none)
    coalesce(r.region_name_sv, rr.name_sv, r.region_name_fi, rr.name_fi) as region_name_sv,
    coalesce(r.region_name_en, rr.name_en, r.region_name_fi, rr.name_fi) as region_name_en,
    coalesce(nullif(i.title_sv, ''), i.title_fi)                   as indicator_title_sv,
    coalesce(nullif(i.title_en, ''), i.title_fi)                   as indicator_title_en
from staging.stg_sotkanet__values v
left join staging.stg_sotkanet__indicators i using (indicator_id)
left join (
    select region_category, region_code, any_value(region_name_fi) as region_name_fi,
           any_value(region_name_sv) as region_name_sv, any_value(region_name_en) as region_name_en
    from staging.stg_sotkanet__regions group by all
) r on r.region_category = v.region_category and r.region_code = v.region_code
left join (
    select region_category, region_code, any_value(name_fi) as name_fi, any_value(name_sv) as name_sv, any_value(name_en) as name_en
    from staging.stg_sotkanet__reference_regions group by all
) rr on rr.region_category = v.region_category and rr.region_code = v.region_code;
