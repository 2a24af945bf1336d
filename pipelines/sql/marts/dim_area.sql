-- marts.dim_area: every area the product publishes figures for, under one id scheme (area_id '<area_type>:<code>',
-- the scheme of marts.population_by_area) with its validity dates: municipalities, hospital districts, wellbeing
-- services counties and the whole country (Statistics Finland's key, marts.regions), the organisation's 2011
-- collaboration areas and sub-areas (config/organisation.yaml) and the scenarios' pilot area (config/scenarios.yaml).
-- It carries the ids the other marts use for the same area, so that pages can join them: org_id (marts.scorecard and
-- the other scorecard marts; also the foresight marts' area_code, which is the organisation's code for the areas it
-- defines), region_category + region_code (marts.regions), area_code (marts.population_by_area). valid_from /
-- valid_to: the first and last day of the area's existence as far as the region model knows; NULL = before the
-- model's first year, or still valid.
create or replace table marts.dim_area as
with
model_years as (select min(year) as first_year, max(year) as last_year from marts.regions),
area_types(area_type, area_type_fi, region_category, area_sort) as (
    values ('country', 'koko maa', 'MAA', 1), ('wellbeing_county', 'hyvinvointialue', 'HYVINVOINTIALUE', 2),
           ('hospital_district', 'sairaanhoitopiiri', 'SAIRAANHOITOPIIRI', 3),
           ('collaboration_area', 'yhteistoiminta-alue', null, 4), ('sub_area', 'osa-alue', null, 5),
           ('pilot_area', 'pilottialue', null, 6), ('municipality', 'kunta', 'KUNTA', 7)
),
official as (
    select
        t.area_type,
        case when t.area_type = 'country' then 'SSS' else r.region_code end              as area_code,
        arg_max(r.region_name_fi, r.year) filter (where r.is_active)                      as name_fi,
        arg_max(r.region_name_sv, r.year) filter (where r.is_active)                      as name_sv,
        arg_max(r.region_name_en, r.year) filter (where r.is_active)                      as name_en,
        min(r.year) filter (where r.is_active)                                            as first_year,
        max(r.year) filter (where r.is_active)                                            as last_year,
        r.region_category,
        r.region_code
    from marts.regions r
    join area_types t using (region_category)
    group by t.area_type, r.region_category, r.region_code
    having count(*) filter (where r.is_active) > 0
),
organisations as (
    select
        o.organisation_type                                                               as area_type,
        o.organisation_code                                                               as area_code,
        o.name_fi,
        o.name_sv,
        o.name_en,
        o.valid_from,
        o.valid_to
    from marts.organisations o
    where o.organisation_type in ('collaboration_area', 'sub_area')
),
pilot as (
    select distinct 'pilot_area' as area_type, area_code, area_name_fi as name_fi
    from staging.stg_config__scenario_area
)
select
    a.area_type || ':' || a.area_code                                                    as area_id,
    a.area_type,
    t.area_type_fi,
    a.area_code,
    a.name_fi,
    coalesce(a.name_sv, a.name_fi)                                                        as name_sv,
    a.valid_from,
    a.valid_to,
    case
        when a.area_type = 'municipality' then 'kunta-' || a.area_code
        when a.area_type in ('collaboration_area', 'sub_area') then a.area_code
        else w.organisation_code
    end                                                                                   as org_id,
    a.region_category,
    a.region_code,
    t.area_sort,
    -- the names and types in Swedish and English (docs/evidence-offline-patch.md, "Languages"; a name without
    -- another language is the Finnish one)
    coalesce(a.name_en, a.name_fi)                                                        as name_en,
    word('area_type', a.area_type, 'sv')                                                  as area_type_sv,
    word('area_type', a.area_type, 'en')                                                  as area_type_en
from (
    select area_type, area_code, name_fi, name_sv, name_en,
           case when first_year > (select first_year from model_years) then make_date(first_year, 1, 1) end as valid_from,
           case when last_year < (select last_year from model_years) then make_date(last_year, 12, 31) end  as valid_to,
           region_category, region_code
    from official
    union all
    select area_type, area_code, name_fi, name_sv, name_en, valid_from, valid_to, null, null from organisations
    union all
    select area_type, area_code, name_fi, name_fi, name_fi, null, null, null, null from pilot
) a
join area_types t using (area_type)
left join marts.organisations w
    on a.area_type = 'wellbeing_county' and w.organisation_type = 'wellbeing_county'
   and w.region_category = a.region_category and w.region_code = a.region_code
order by t.area_sort, a.name_fi, a.area_code;
