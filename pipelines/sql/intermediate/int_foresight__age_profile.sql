-- intermediate.int_foresight__age_profile: the age profiles of use per specialty × service type × age group and measure
-- (use per resident in the base year), two sets: 'paikallinen' pooled over every municipality whose extracts of the
-- base year carry age groups (Σ use / Σ population of those municipalities; only when foresight.age_profile =
-- 'local'), and 'kansallinen' from config/national-use-rates.yaml (the specialty's own row, else the service type's
-- default). intermediate.int_foresight__profile_choice says which set each municipality uses. Only the shape matters:
-- the projection calibrates the level per municipality.
create or replace table intermediate.int_foresight__age_profile as
with
settings as (select * from intermediate.int_foresight__settings),
pop0 as (
    select p.municipality_code, p.age_group, p.population
    from intermediate.int_foresight__population p, settings s
    where p.year = s.base_year and p.variant = s.main_variant
),
combos as (
    select distinct specialty_code, service_type
    from intermediate.int_service_use__yearly y, settings s
    where y.year = s.base_year
),
aged_municipalities as (
    select municipality_code
    from intermediate.int_service_use__yearly y, settings s
    where y.year = s.base_year
    group by municipality_code
    having bool_and(has_age)
),
local_use as (
    select b.specialty_code, b.service_type, b.age_group,
           sum(b.visits) as visits, sum(b.care_periods) as care_periods, sum(b.bed_days) as bed_days,
           sum(b.cost_eur) as cost_eur
    from intermediate.int_service_use__by_age b, settings s
    where b.year = s.base_year and b.municipality_code in (select municipality_code from aged_municipalities)
    group by all
),
local_pop as (
    select age_group, sum(population) as population
    from pop0 where municipality_code in (select municipality_code from aged_municipalities)
    group by all
),
local_profile as (
    select c.specialty_code, c.service_type, p.age_group,
           coalesce(u.visits, 0) / p.population as r_visits,
           coalesce(u.care_periods, 0) / p.population as r_care_periods,
           coalesce(u.bed_days, 0) / p.population as r_bed_days,
           coalesce(cast(u.cost_eur as double), 0) / p.population as r_cost_eur
    from combos c
    cross join local_pop p
    left join local_use u using (specialty_code, service_type, age_group)
    where p.population > 0
      and exists (select 1 from local_use l where l.specialty_code = c.specialty_code and l.service_type = c.service_type)
),
national_profile as (
    select c.specialty_code, c.service_type, n.age_group, n.rate
    from combos c
    join staging.stg_config__national_rates n
      on n.service_type = c.service_type
     and n.specialty_code = coalesce(
            (select max(x.specialty_code) from staging.stg_config__national_rates x
             where x.service_type = c.service_type and x.specialty_code = c.specialty_code), '*')
)
select l.specialty_code, l.service_type, l.age_group,
       l.r_visits, l.r_care_periods, l.r_bed_days, l.r_cost_eur, 'paikallinen' as profile_source
from local_profile l, settings s
where s.age_profile = 'local'
union all
select n.specialty_code, n.service_type, n.age_group, n.rate, n.rate, n.rate, n.rate, 'kansallinen'
from national_profile n;
