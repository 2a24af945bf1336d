-- marts.population_by_area: population 31.12. (Sotkanet indicator 127) per area and year, for municipalities,
-- hospital districts, wellbeing services counties and the whole country.
--
-- Sotkanet reports the series on current municipal boundaries, so every municipality has one continuous series.
-- Memberships come from the Statistics Finland key of a year: hospital districts (which existed until 2022) use
-- the key of the same year, clamped to 2017-2022 (the years the key records them); wellbeing services counties
-- (from 2023) use the key of the same year, clamped to 2023 and the latest key year, i.e. earlier years are
-- expressed on the county's first boundaries. Areas are sums of their members' counts.
create or replace table marts.population_by_area as
with
key_years as (select first_key_year as first_year, last_key_year as last_year from staging.region_settings),
population as (
    select municipality_code, year, population from staging.stg_sotkanet__population
),
hospital_district_members as (
    select p.municipality_code, p.year, p.population, k.hospital_district_code as code,
           k.hospital_district_name_fi as name_fi, k.hospital_district_name_sv as name_sv
    from population p
    join staging.stg_statfi__municipality_years k
      on k.municipality_code = p.municipality_code
     and k.year = least(greatest(p.year, 2017), 2022)
    where k.hospital_district_code is not null
),
county_members as (
    select p.municipality_code, p.year, p.population, k.wellbeing_county_code as code,
           k.wellbeing_county_name_fi as name_fi, k.wellbeing_county_name_sv as name_sv
    from population p
    cross join key_years y
    join staging.stg_statfi__municipality_years k
      on k.municipality_code = p.municipality_code
     and k.year = least(greatest(p.year, 2023), y.last_year)
    where k.wellbeing_county_code is not null
),
areas as (
    select 'municipality' as area_type, 'kunta' as area_type_fi, 3 as area_sort,
           p.municipality_code as area_code, n.name_fi as area_name_fi, n.name_sv as area_name_sv,
           p.year, p.population, 1 as member_count, n.name_en as area_name_en
    from population p
    join intermediate.int_municipality__latest_names n using (municipality_code)
    union all
    select 'hospital_district', 'sairaanhoitopiiri', 2, code, any_value(name_fi), any_value(name_sv),
           year, sum(population), count(*),
           -- the English name from Sotkanet's region list (the Statistics Finland key has none)
           (select any_value(r.name_en) from staging.stg_sotkanet__reference_regions r
             where r.region_category = 'SAIRAANHOITOPIIRI' and r.region_code = code)
    from hospital_district_members
    group by code, year
    union all
    select 'wellbeing_county', 'hyvinvointialue', 1, code, any_value(name_fi), any_value(name_sv),
           year, sum(population), count(*), null
    from county_members
    group by code, year
    union all
    select 'country', 'koko maa', 0, 'SSS', 'Koko maa', 'Hela landet', year, sum(population), count(*), 'Finland'
    from population
    group by year
)
select
    area_type || ':' || area_code                  as area_id,
    area_type,
    area_type_fi,
    area_code,
    area_name_fi,
    coalesce(area_name_sv, area_name_fi)           as area_name_sv,
    area_name_fi || ' (' || area_type_fi || ')'    as area_label_fi,
    area_sort,
    year,
    make_date(year, 12, 31)                        as period_end,
    cast(population as bigint)                     as population,
    cast(member_count as integer)                  as member_count,
    'THL / Sotkanet, Tilastokeskus'                as source,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages"): the registry's Swedish and
    -- English names where it has them (bilingual municipalities, e.g. Oulu / Uleåborg), else the Finnish name
    word('area_type', area_type, 'sv')             as area_type_sv,
    word('area_type', area_type, 'en')             as area_type_en,
    coalesce(area_name_en, area_name_fi)           as area_name_en,
    coalesce(area_name_sv, area_name_fi) || ' (' || word('area_type', area_type, 'sv') || ')' as area_label_sv,
    coalesce(area_name_en, area_name_fi) || ' (' || word('area_type', area_type, 'en') || ')' as area_label_en
from areas
order by area_sort, area_name_fi, year;
