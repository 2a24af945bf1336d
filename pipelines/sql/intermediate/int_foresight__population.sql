-- intermediate.int_foresight__population: population per municipality × 5-year age group × year × projection variant,
-- from the base year to the horizon. A year with recorded population (kind 'history') uses it in every variant;
-- later years use each variant of the official projection. Up to the base year every variant uses the main
-- variant (the base year is observed: the variants part only after it). Without any projection only the history
-- is there.
create or replace table intermediate.int_foresight__population as
with
settings as (select * from intermediate.int_foresight__settings),
variants as (
    select distinct variant from staging.stg_population__by_age where kind = 'projection'
    union all
    select s.main_variant from settings s
    where not exists (select 1 from staging.stg_population__by_age where kind = 'projection')
),
candidates as (
    -- history rows serve every variant
    select v.variant, p.municipality_code, p.year, p.age_group, p.population, 0 as preference, p.source_name
    from staging.stg_population__by_age p cross join variants v
    where p.kind = 'history'
    union all
    select p.variant, p.municipality_code, p.year, p.age_group, p.population, 1, p.source_name
    from staging.stg_population__by_age p, settings s
    where p.kind = 'projection' and p.year > s.base_year
    union all
    select v.variant, p.municipality_code, p.year, p.age_group, p.population, 1, p.source_name
    from staging.stg_population__by_age p cross join variants v, settings s
    where p.kind = 'projection' and p.year <= s.base_year and p.variant = s.main_variant
)
select c.municipality_code, c.year, c.age_group, c.variant, cast(c.population as double) as population
from candidates c, settings s
where c.year between s.base_year and s.horizon
qualify row_number() over (
    partition by c.variant, c.municipality_code, c.year, c.age_group order by c.preference, c.source_name) = 1;
