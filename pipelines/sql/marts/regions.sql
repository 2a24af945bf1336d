-- marts.regions: PUBLIC CONTRACT. The region dimension, one row per region and year (regions.first_year … the
-- latest municipality key year), with the region's official code, category (Sotkanet's vocabulary: KUNTA,
-- SAIRAANHOITOPIIRI, HYVINVOINTIALUE, MAAKUNTA, ERVA, YTA, MAA), names fi/sv/en, Sotkanet id, and its parent links
-- valid in that year:
--   hospital_district_code  until 2022 (key of the year, clamped to 2017-2022: the years the key records them)
--   wellbeing_county_code   from 2023 (key of the year)
--   maakunta_code           key of the year (clamped to the key's years)
--   erva_code / yta_code    ERVA until 2022, yhteistyöalue (YTA) from 2023
-- is_active: the municipality existed that year (merged municipalities stop at their merger and point to their
-- successor_code), hospital districts until 2022, counties and YTAs from 2023.
-- Codes are canonical: municipalities three digits, other numeric codes without leading zeros; the whole
-- country is MAA 358 (Sotkanet's code).
create or replace table marts.regions as
with
settings as (select * from staging.region_settings),
years as (select unnest(range(s.first_year, s.last_key_year + 1)) as year from settings s),
k as (select * from staging.stg_statfi__municipality_years),
sot as (select * from staging.stg_sotkanet__reference_regions),
hd_erva as (
    select hospital_district_code, any_value(erva_code) as erva_code
    from k where hospital_district_code is not null and erva_code is not null group by 1
),
county_yta as (
    select wellbeing_county_code, any_value(yta_code) as yta_code
    from k where wellbeing_county_code is not null and yta_code is not null group by 1
),
latest_successor as (
    select municipality_code, harmonised_code
    from marts.municipality_code_map
    where boundary_year = (select last_key_year from settings)
),
region_list as (
    select 'KUNTA' as category, municipality_code as code, name_fi, name_sv, name_en,
           first_year as key_first, last_year as key_last
    from intermediate.int_municipality__latest_names
    union all
    select 'KUNTA', merged_code, any_value(merged_name_fi), null, null, null, null
    from staging.stg_regions__mergers
    where merged_code not in (select municipality_code from intermediate.int_municipality__latest_names)
    group by merged_code
    union all
    select 'SAIRAANHOITOPIIRI', hospital_district_code, arg_max(hospital_district_name_fi, year),
           arg_max(hospital_district_name_sv, year), null, null, null
    from k where hospital_district_code is not null group by 1, 2
    union all
    select 'HYVINVOINTIALUE', wellbeing_county_code, arg_max(wellbeing_county_name_fi, year),
           arg_max(wellbeing_county_name_sv, year), null, null, null
    from k where wellbeing_county_code is not null group by 1, 2
    union all
    select 'MAAKUNTA', maakunta_code, arg_max(maakunta_name_fi, year), null, null, null, null
    from k where maakunta_code is not null group by 1, 2
    union all
    select 'ERVA', erva_code, arg_max(erva_name_fi, year), null, null, null, null
    from k where erva_code is not null group by 1, 2
    union all
    select 'YTA', yta_code, arg_max(yta_name_fi, year), null, null, null, null
    from k where yta_code is not null group by 1, 2
    union all
    select 'MAA', '358', 'Koko maa', 'Hela landet', 'Finland', null, null
),
named as (
    select r.category, r.code,
           r.name_fi,
           coalesce(r.name_sv, s.name_sv) as name_sv,
           coalesce(r.name_en, s.name_en) as name_en,
           s.sotkanet_id, r.key_first, r.key_last
    from region_list r
    left join sot s on s.region_category = r.category and s.region_code = r.code
),
merged as (
    select merged_code, successor_code, year(effective_date) as merge_year from staging.stg_regions__mergers
),
rows_ as (
    select n.*, y.year, st.first_key_year, st.last_key_year,
           coalesce(ls.harmonised_code, n.code) as lookup_code,
           m.successor_code, m.merge_year,
           least(greatest(y.year, 2017), 2022)::integer                       as hd_year,
           least(greatest(y.year, 2023), st.last_key_year)::integer           as wc_year,
           least(greatest(y.year, st.first_key_year), st.last_key_year)::integer as mk_year
    from named n
    cross join years y
    cross join settings st
    left join latest_successor ls on ls.municipality_code = n.code
    left join merged m on m.merged_code = n.code
)
select
    r.year::integer                                                   as year,
    r.category                                                        as region_category,
    r.code                                                            as region_code,
    r.name_fi                                                         as region_name_fi,
    -- the Swedish and English names (docs/evidence-offline-patch.md, "Languages"): the source's, else the Finnish one
    coalesce(r.name_sv, r.name_fi)                                    as region_name_sv,
    coalesce(r.name_en, r.name_fi)                                    as region_name_en,
    r.sotkanet_id,
    case r.category
        when 'KUNTA' then (r.merge_year is null or r.year < r.merge_year)
                          and (r.key_first is null or r.year >= r.key_first or r.year < r.first_key_year)
        when 'SAIRAANHOITOPIIRI' then r.year <= 2022
        when 'ERVA' then r.year <= 2022
        when 'HYVINVOINTIALUE' then r.year >= 2023
        when 'YTA' then r.year >= 2023
        else true
    end                                                               as is_active,
    case when r.category = 'KUNTA' and r.year <= 2022 then hd.hospital_district_code end
                                                                      as hospital_district_code,
    case when r.category = 'KUNTA' and r.year >= 2023 then wc.wellbeing_county_code end
                                                                      as wellbeing_county_code,
    case when r.category = 'KUNTA' then mk.maakunta_code end          as maakunta_code,
    case
        when r.category = 'KUNTA' and r.year <= 2022 then he.erva_code
        when r.category = 'SAIRAANHOITOPIIRI' and r.year <= 2022 then he2.erva_code
    end                                                               as erva_code,
    case
        when r.category = 'KUNTA' and r.year >= 2023 then cy.yta_code
        when r.category = 'HYVINVOINTIALUE' and r.year >= 2023 then cy2.yta_code
    end                                                               as yta_code,
    case when r.category <> 'MAA' then '358' end                      as country_code,
    case when r.category = 'KUNTA' and r.merge_year is not null and r.year >= r.merge_year then r.successor_code end
                                                                      as successor_code
from rows_ r
left join k hd on hd.municipality_code = r.lookup_code and hd.year = r.hd_year
left join k wc on wc.municipality_code = r.lookup_code and wc.year = r.wc_year
left join k mk on mk.municipality_code = r.lookup_code and mk.year = r.mk_year
left join hd_erva he on he.hospital_district_code = hd.hospital_district_code
left join hd_erva he2 on he2.hospital_district_code = r.code
left join county_yta cy on cy.wellbeing_county_code = wc.wellbeing_county_code
left join county_yta cy2 on cy2.wellbeing_county_code = r.code
order by region_category, region_code, year;
