-- Per cell: year to date, last year's seasonality (base) and this year's run rate; forecast and band.
--   base_m  = last year's month m when all 12 are published and positive ('seasonal'), else 1 ('flat')
--   r_i     = actual_i / base_i for the months with data;  run rate = Σ actual / Σ base (to date)
--   forecast = actual to date + Σ base of the remaining months × run rate; band: × min r_i … × max r_i
-- Every planned cell's twelve months: this year's published actual, last year's base, the method.
create or replace table intermediate.int_plan__forecast_months as
with measures as (select * from (values ('visits'), ('care_periods'), ('bed_days'), ('cost_eur')) m(measure)),
cells as (
    select c.*, m.measure, coalesce(d.months_with_data, 0) as months_with_data
    from intermediate.int_plan__cells c cross join measures m
    left join intermediate.int_plan__data_months d on d.organiser = c.organiser and d.year = c.year
),
last_year as (
    select organiser, municipality_code, specialty_code, service_type, year, measure,
           count(value) filter (where value > 0) = 12 as seasonal
    from intermediate.int_plan__actual_months where data_year = year - 1 group by all
),
months as (
    select c.organiser, c.municipality_code, c.specialty_code, c.service_type, c.year, c.measure, c.months_with_data, m.month_no,
           a.value as actual, a.month_no is not null as published_row,
           case when coalesce(l.seasonal, false) then p.value else 1.0 end as base,
           case when coalesce(l.seasonal, false) then 'seasonal' else 'flat' end as method
    from cells c
    cross join (select unnest(range(1, 13)) as month_no) m
    left join intermediate.int_plan__actual_months a
      on a.organiser = c.organiser and a.municipality_code = c.municipality_code and a.specialty_code = c.specialty_code
     and a.service_type = c.service_type and a.year = c.year and a.data_year = c.year and a.measure = c.measure and a.month_no = m.month_no
    left join intermediate.int_plan__actual_months p
      on p.organiser = c.organiser and p.municipality_code = c.municipality_code and p.specialty_code = c.specialty_code
     and p.service_type = c.service_type and p.year = c.year and p.data_year = c.year - 1 and p.measure = c.measure and p.month_no = m.month_no
    left join last_year l
      on l.organiser = c.organiser and l.municipality_code = c.municipality_code and l.specialty_code = c.specialty_code
     and l.service_type = c.service_type and l.year = c.year and l.measure = c.measure
)
select * from months;
