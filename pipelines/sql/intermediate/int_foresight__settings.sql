-- intermediate.int_foresight__settings: the resolved projection settings, one row. The base year is the configured one
-- or the latest year with service use in all 12 months; the rates of that year are carried forward.
create or replace table intermediate.int_foresight__settings as
with complete_years as (
    select year(month) as year
    from staging.stg_service_use__monthly
    group by 1
    having count(distinct month) = 12
)
select
    cast(coalesce(s.base_year, (select max(year) from complete_years)) as integer) as base_year,
    s.horizon,
    s.age_profile,
    s.main_rate_assumption,
    s.main_variant,
    cast((select max(year) from staging.stg_population__by_age where kind = 'history') as integer) as last_history_year
from staging.stg_config__foresight_settings s;
