-- Per cell: year to date, last year's seasonality (base) and this year's run rate; forecast and band.
create or replace table intermediate.int_plan__forecast as
with months as (select * from intermediate.int_plan__forecast_months),
per_cell as (
    select organiser, municipality_code, specialty_code, service_type, year, measure, any_value(method) as method,
           any_value(months_with_data) as months_with_data,
           sum(base) filter (where month_no <= months_with_data) as base_ytd,
           coalesce(sum(base) filter (where month_no > months_with_data), 0) as base_remaining,
           -- The band: this year's lowest and highest monthly rate among the published months.
           min(actual / base) filter (where month_no <= months_with_data) as rate_min,
           max(actual / base) filter (where month_no <= months_with_data) as rate_max,
           count(*) filter (where month_no <= months_with_data and actual is null) as months_withheld
    from months group by organiser, municipality_code, specialty_code, service_type, year, measure
),
-- The year to date is the published, protected yearly sum (marts.service_use_yearly: January to the last month with
-- data), never a sum of published months that would stand in for a withheld one.
yearly as (
    select m.organiser, m.municipality_code, m.specialty_code, m.service_type, m.year, u.measure,
           case when count(*) = count(u.value) then sum(u.value) end as value
    from intermediate.int_plan__cell_members m
    join (select county_org_id, municipality_code, specialty_code, service_type, year, measure, value
          from (select county_org_id, municipality_code, specialty_code, service_type, year,
                       case when is_suppressed then null else visits end as visits,
                       case when is_suppressed then null else care_periods end as care_periods,
                       case when is_suppressed then null else bed_days end as bed_days,
                       case when is_suppressed then null else cost_eur end as cost_eur
                from marts.service_use_yearly where municipality_level in ('county', 'municipality'))
          unpivot include nulls (value for measure in (visits, care_periods, bed_days, cost_eur))) u
      on u.county_org_id = m.organiser and u.municipality_code = m.member_municipality and u.specialty_code = m.member_specialty
     and u.service_type = m.service_type and u.year = m.year
    where m.data_year = m.year
    group by all
)
select c.*, y.value as actual_ytd,
       y.value + c.base_remaining * y.value / nullif(c.base_ytd, 0) as forecast,
       case when c.base_remaining = 0 then y.value else y.value + c.base_remaining * c.rate_min end as forecast_low,
       case when c.base_remaining = 0 then y.value else y.value + c.base_remaining * c.rate_max end as forecast_high,
       c.months_with_data = 0 or y.value is null as is_withheld,
       -- No band without a published month (nothing to measure this year's spread by), unless the year is complete.
       c.base_remaining > 0 and c.rate_min is null as is_band_unknown
from per_cell c
left join yearly y using (organiser, municipality_code, specialty_code, service_type, year, measure);
