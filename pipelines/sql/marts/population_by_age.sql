-- marts.population_by_age: population 31.12. by municipality × year × 5-year age group (0-4 … 80-84, 85+), the
-- history (kind 'history', variant 'toteutunut') and the projection variants (kind 'projection', e.g. 'perus' and
-- 'muuttotase_0'), one row per source. age_to is NULL for 85+. is_main_variant marks history rows and the
-- projection's main variant (population.main_variant). The demo sources have a synthetic age structure on real
-- totals (docs/population.md).
-- (Before the population job first ran, the marts job makes its staging tables empty: then this mart is empty.)
create or replace table marts.population_by_age as
select
    p.municipality_code,
    n.name_fi                                   as municipality_name_fi,
    p.year,
    p.age_group,
    cast(p.age_from as integer)                 as age_from,
    cast(p.age_to as integer)                   as age_to,
    cast(p.population as bigint)                as population,
    p.kind,
    p.variant,
    p.source_name,
    coalesce(n.name_sv, n.name_fi)              as municipality_name_sv,
    coalesce(n.name_en, n.name_fi)              as municipality_name_en,
    (p.kind = 'history' or p.variant = coalesce((select max(main_variant) from staging.population_settings), 'perus'))
                                                as is_main_variant
from staging.stg_population__by_age p
left join intermediate.int_municipality__latest_names n using (municipality_code)
order by p.kind, p.variant, p.municipality_code, p.year, p.age_from;
