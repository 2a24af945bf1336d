-- intermediate.int_service_use__yearly: service use per year × home municipality × specialty × service type, age summed
-- away. has_age: every staging row of that year and municipality has an age group, so
-- intermediate.int_service_use__by_age covers it whole; where it is false the foresight uses national age profiles.
-- months = distinct months with data. Unsuppressed; not published.
create or replace table intermediate.int_service_use__yearly as
with
municipality_years as (
    select cast(year(month) as integer) as year, municipality_code, bool_and(age_group is not null) as has_age
    from staging.stg_service_use__monthly
    group by all
)
select
    cast(year(s.month) as integer) as year,
    s.municipality_code,
    s.specialty_code,
    s.service_type,
    cast(sum(s.visits) as bigint) as visits,
    cast(sum(s.care_periods) as bigint) as care_periods,
    cast(sum(s.bed_days) as bigint) as bed_days,
    cast(sum(s.cost_eur) as decimal(18,2)) as cost_eur,
    cast(count(distinct s.month) as integer) as months,
    any_value(m.has_age) as has_age
from staging.stg_service_use__monthly s
join municipality_years m on m.year = year(s.month) and m.municipality_code = s.municipality_code
group by 1, 2, 3, 4
order by all;
