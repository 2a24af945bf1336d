-- marts.foresight_age_structure: the driver behind the projection: population per area × age group × year, recorded
-- (kind 'toteutunut') and projected (main variant), from ten years before the base year to the horizon, with the
-- broad age bands the foresight page draws. Areas as in marts.service_need_projection.
create or replace table marts.foresight_age_structure as
with
settings as (select * from intermediate.int_foresight__settings),
areas as (select distinct area_code, area_type, area_type_fi, area_name_fi, area_sort, municipality_code
          from intermediate.int_foresight__areas),
series as (
    select p.municipality_code, p.year, p.age_group, p.population, p.kind
    from staging.stg_population__by_age p, settings s
    where p.year between s.base_year - 10 and s.horizon
      and (p.kind = 'history' or p.variant = s.main_variant)
    qualify row_number() over (partition by p.municipality_code, p.year, p.age_group
                               order by p.kind = 'history' desc, p.source_name) = 1
)
select a.area_code, a.area_name_fi, a.area_type, a.area_type_fi, a.area_sort, x.year, make_date(x.year, 12, 31) as year_end,
       x.age_group,
       cast(split_part(replace(x.age_group, '+', ''), '-', 1) as integer) as age_from,
       case
           when x.age_group in ('0-4', '5-9', '10-14') then '0–14'
           when x.age_group in ('65-69', '70-74') then '65–74'
           when x.age_group in ('75-79', '80-84') then '75–84'
           when x.age_group = '85+' then '85+'
           else '15–64'
       end as age_band,
       case when x.kind = 'history' then 'toteutunut' else 'ennuste' end as kind_fi,
       cast(sum(x.population) as bigint) as population,
       -- Swedish and English: the area names as marts.service_need_projection has them, the words from the vocabulary
       coalesce(o.name_sv, m.name_sv, a.area_name_fi) as area_name_sv, coalesce(o.name_en, m.name_en, a.area_name_fi) as area_name_en,
       word('area_type', a.area_type, 'sv') as area_type_sv, word('area_type', a.area_type, 'en') as area_type_en,
       word('population_kind', x.kind, 'sv') as kind_sv, word('population_kind', x.kind, 'en') as kind_en
from series x join areas a using (municipality_code)
left join marts.organisations o on a.area_type <> 'municipality' and o.organisation_code = a.area_code
left join intermediate.int_municipality__latest_names m on a.area_type = 'municipality' and m.municipality_code = a.area_code
group by all
order by a.area_sort, a.area_code, x.year, age_from;
