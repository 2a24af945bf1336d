-- intermediate.int_service_use__by_age: service use per year × home municipality × specialty × service type × age group,
-- from the staging rows that have an age group (extracts with an age column). What the foresight projection reads
-- for age-specific use rates. months = distinct months with data, so a year with fewer months can be scaled.
-- Unsuppressed; not published.
create or replace table intermediate.int_service_use__by_age as
select
    cast(year(month) as integer) as year,
    municipality_code,
    specialty_code,
    service_type,
    age_group,
    cast(sum(visits) as bigint) as visits,
    cast(sum(care_periods) as bigint) as care_periods,
    cast(sum(bed_days) as bigint) as bed_days,
    cast(sum(cost_eur) as decimal(18,2)) as cost_eur,
    cast(count(distinct month) as integer) as months
from staging.stg_service_use__monthly
where age_group is not null
group by all
order by all;
