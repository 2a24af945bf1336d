-- marts.indicator_region_values: the comparators of the registry (docs/dual-model.md, "Comparators"). For every
-- yearly indicator whose formula is one Sotkanet measure (formula: {measure: sotkanet.N}), the values of every
-- comparator region Sotkanet reports: the whole country (MAA), every wellbeing county and Helsinki
-- (HYVINVOINTIALUE; Ahvenanmaa, 91, is not one), every hospital district (SAIRAANHOITOPIIRI, until 2022) and every
-- municipality (KUNTA), in the indicator's own unit (× the formula's factor). Gender: total.
--   is_county_peer  the region is one of the counties the pages and the dual model compare with (1-21 and 90)
create or replace table marts.indicator_region_values as
select
    i.indicator_id,
    v.region_category,
    v.region_code,
    r.region_name_fi,
    v.year,
    v.value * i.factor                                                        as value,
    v.region_category = 'HYVINVOINTIALUE' and v.region_code <> '91'           as is_county_peer,
    coalesce(si.is_synthetic, false)                                          as is_demo,
    coalesce(r.region_name_sv, r.region_name_fi)                              as region_name_sv,
    coalesce(r.region_name_en, r.region_name_fi)                              as region_name_en
from staging.stg_config__indicators i
join staging.stg_sotkanet__values v
  on i.numerator_measure = 'sotkanet.' || v.indicator_id
left join staging.stg_sotkanet__indicators si on si.indicator_id = v.indicator_id
left join (
    select region_category, region_code, any_value(region_name_fi) as region_name_fi,
           any_value(region_name_sv) as region_name_sv, any_value(region_name_en) as region_name_en
    from staging.stg_sotkanet__regions group by all
) r on r.region_category = v.region_category and r.region_code = v.region_code
where i.denominator_measure is null and i.period_type = 'year' and v.gender = 'total'
  and v.region_category in ('MAA', 'HYVINVOINTIALUE', 'SAIRAANHOITOPIIRI', 'KUNTA')
  and (v.region_category <> 'HYVINVOINTIALUE' or v.region_code <> '91')
order by i.indicator_id, v.region_category, v.region_code, v.year;
