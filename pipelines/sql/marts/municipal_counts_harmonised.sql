-- marts.municipal_counts_harmonised: every municipal count series of staging.municipal_counts re-expressed on the
-- boundaries of the harmonisation year (marts.municipality_harmonisation): counts of municipalities that merged
-- by then are summed; rate_per_1000 is recomputed from the summed count and the summed denominator, never
-- averaged: the series' own denominator when it has one (a Sotkanet rate of residents aged 75+ is per 1000 residents
-- aged 75+), else the population; NULL for a Sotkanet series without one (indexes, euros, ratios).
-- denominator_fi says which. A harmonised cell is missing (NULL, is_missing) when any of its members' counts is missing:
-- a partial sum would look like a real value. Sotkanet series are already on current boundaries, so for them
-- this is the identity on the latest boundaries.
create or replace table marts.municipal_counts_harmonised as
with
h as (select * from marts.municipality_harmonisation),
mapped as (
    select c.series_id, c.source, coalesce(h.harmonised_code, c.municipality_code) as municipality_code,
           c.municipality_code as original_code, c.year, c.count_value, c.denominator
    from staging.municipal_counts c
    left join h on h.municipality_code = c.municipality_code
),
summed as (
    select series_id, any_value(source) as source, municipality_code, year,
           case when count(*) = count(count_value) then sum(count_value) end as count_value,
           case when count(*) = count(denominator) then sum(denominator) end as own_denominator,
           bool_or(denominator is not null) or any_value(source) = 'THL / Sotkanet' and series_id <> 'population' as has_own_denominator,
           count(*) as member_count,
           list(distinct original_code order by original_code) as original_codes
    from mapped
    group by series_id, municipality_code, year
),
population as (
    select municipality_code, year, count_value as population from summed where series_id = 'population'
)
select
    s.series_id,
    (select boundary_year from staging.region_settings)             as boundary_year,
    s.municipality_code,
    coalesce(hn.harmonised_name_fi, s.municipality_code)              as municipality_name_fi,
    s.year,
    s.count_value,
    p.population,
    case when s.has_own_denominator then case when s.count_value is not null and s.own_denominator > 0 then 1000 * s.count_value / s.own_denominator end
         when s.count_value is not null and p.population > 0 then 1000 * s.count_value / p.population end
                                                                      as rate_per_1000,
    s.count_value is null                                             as is_missing,
    cast(s.member_count as integer)                                   as member_count,
    s.original_codes,
    s.source,
    case when s.has_own_denominator then s.own_denominator else p.population end as denominator,
    case when s.has_own_denominator then 'indikaattorin oma nimittäjä' else 'väestö 31.12. samana vuonna' end as denominator_fi,
    coalesce(hn.harmonised_name_sv, s.municipality_code)              as municipality_name_sv,
    coalesce(hn.harmonised_name_en, s.municipality_code)              as municipality_name_en,
    word('denominator', case when s.has_own_denominator then 'own' else 'population' end, 'sv') as denominator_sv,
    word('denominator', case when s.has_own_denominator then 'own' else 'population' end, 'en') as denominator_en
from summed s
left join population p on p.municipality_code = s.municipality_code and p.year = s.year
left join (select distinct harmonised_code, harmonised_name_fi, harmonised_name_sv, harmonised_name_en from h) hn on hn.harmonised_code = s.municipality_code
order by 1, 3, 5;
