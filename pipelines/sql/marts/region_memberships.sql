-- marts.region_memberships: the dated region hierarchy, one row per (child, parent) and continuous period.
--   relation = 'member_of':   municipality → hospital district (until 2022) / wellbeing services county (from 2023)
--                             / maakunta / country; hospital district → ERVA; county → YTA; ERVA, YTA → country
--   relation = 'merged_into': a municipality merged into its successor from valid_from (pipelines/regions/
--                             municipality_mergers.csv)
-- valid_from/valid_to are inclusive dates; valid_to NULL = still valid in the latest key year. Periods come from
-- the Statistics Finland key (2013-), so a membership starts no earlier than the first year the key records it
-- (hospital districts: 2017). marts.regions fills earlier years from the nearest key year.
create or replace table marts.region_memberships as
with
settings as (select * from staging.region_settings),
k as (select * from staging.stg_statfi__municipality_years),
hd_erva as (
    select hospital_district_code, any_value(erva_code) as erva_code
    from k where hospital_district_code is not null and erva_code is not null
    group by hospital_district_code
),
county_yta as (
    select wellbeing_county_code, any_value(yta_code) as yta_code
    from k where wellbeing_county_code is not null and yta_code is not null
    group by wellbeing_county_code
),
yearly as (
    select 'KUNTA' as child_category, municipality_code as child_code,
           'SAIRAANHOITOPIIRI' as parent_category, hospital_district_code as parent_code, year
    from k where hospital_district_code is not null and year <= 2022
    union all
    select 'KUNTA', municipality_code, 'HYVINVOINTIALUE', wellbeing_county_code, year
    from k where wellbeing_county_code is not null and year >= 2023
    union all
    select 'KUNTA', municipality_code, 'MAAKUNTA', maakunta_code, year
    from k where maakunta_code is not null
    union all
    select 'KUNTA', municipality_code, 'MAA', '358', year
    from k
    union all
    select distinct 'SAIRAANHOITOPIIRI', k.hospital_district_code, 'ERVA', e.erva_code, k.year
    from k join hd_erva e using (hospital_district_code)
    where k.year <= 2022
    union all
    select distinct 'HYVINVOINTIALUE', k.wellbeing_county_code, 'YTA', y.yta_code, k.year
    from k join county_yta y using (wellbeing_county_code)
    where k.year >= 2023
    union all
    select distinct 'ERVA', e.erva_code, 'MAA', '358', k.year
    from k join hd_erva e using (hospital_district_code)
    where k.year <= 2022
    union all
    select distinct 'YTA', y.yta_code, 'MAA', '358', k.year
    from k join county_yta y using (wellbeing_county_code)
    where k.year >= 2023
),
islands as (
    select *, year - row_number() over (
        partition by child_category, child_code, parent_category, parent_code order by year
    ) as island
    from (select distinct * from yearly)
),
periods as (
    select child_category, child_code, parent_category, parent_code,
           min(year) as first_year, max(year) as last_year
    from islands
    group by child_category, child_code, parent_category, parent_code, island
)
select
    'member_of'                                                     as relation,
    p.child_category,
    p.child_code,
    p.parent_category,
    p.parent_code,
    make_date(p.first_year, 1, 1)                                   as valid_from,
    case when p.last_year = s.last_key_year then null else make_date(p.last_year, 12, 31) end as valid_to,
    'Tilastokeskus, kuntaluokitusavain ' || p.first_year || '-' || p.last_year as source
from periods p cross join settings s
union all
select
    'merged_into', 'KUNTA', merged_code, 'KUNTA', successor_code, effective_date, null,
    source
from staging.stg_regions__mergers
order by relation, child_category, child_code, parent_category, valid_from;
