-- Actuals and the year-end forecast of every planned cell (docs/plan.md, "Forecast"), from the PUBLISHED
-- marts.service_use_summary only: a withheld month stays unknown here too, so nothing computed from it can reveal it.
-- A cell: organiser × area (a municipality, or the organiser's own code for its whole area) × specialty (or 'ALL') ×
-- service type (or 'ALL') × year × measure; the planned cells are those of the agreements and the organiser's total
-- euros of every organiser with a specialist-care budget line.
create or replace table intermediate.int_plan__cells as
select distinct organiser, municipality_code, specialty_code, service_type, year
from staging.stg_plan__agreements
union
select distinct coalesce(o.organisation_code, a.organisation_code), coalesce(o.organisation_code, a.organisation_code), 'ALL', 'ALL', b.year
from staging.stg_plan__budgets b
left join staging.stg_config__organisations o on o.organisation_code = b.organisation_code
left join staging.stg_config__service_areas a on a.service_area_code = b.organisation_code
where b.account_group = 'erikoissairaanhoito';

-- The cells each planned cell adds up (docs/plan.md, "Areas and specialty groups"), this year and last year: an area of
-- the organisation model is its member municipalities of that year (intermediate.int_scorecard__area_members, the
-- region model), a specialty group its member specialties (staging.stg_config__specialty_groups); any other cell is
-- itself. Everything below reads the published cells of these members only.
create or replace table intermediate.int_plan__cell_members as
with back(back) as (values (0), (1)),
members as (
    select a.* from intermediate.int_scorecard__area_members a
    join staging.stg_config__organisations o on o.organisation_code = a.org_id and o.organisation_type in ('collaboration_area', 'sub_area')
)
select distinct c.organiser, c.municipality_code, c.specialty_code, c.service_type, c.year, c.year - b.back as data_year,
       coalesce(a.municipality_code, c.municipality_code) as member_municipality,
       coalesce(g.specialty_code, c.specialty_code) as member_specialty
from intermediate.int_plan__cells c
cross join back b
left join members a on a.org_id = c.municipality_code and a.year = c.year - b.back
left join staging.stg_config__specialty_groups g on g.group_code = c.specialty_code;

-- The published months of each cell, this year and last year, one row per measure: `value` NULL = withheld. A cell of
-- several members (an area, a group) is the sum of its members' published months, NULL when any of them is withheld:
-- a sum of published figures only, so it can reveal nothing the published cells do not.
create or replace table intermediate.int_plan__actual_months as
with rows as (
    select m.organiser, m.municipality_code, m.specialty_code, m.service_type, m.year, m.data_year,
           cast(month(s.month) as integer) as month_no, s.visits, s.care_periods, s.bed_days, s.cost_eur
    from intermediate.int_plan__cell_members m
    join marts.service_use_summary s
      on s.municipality_level in ('county', 'municipality') and s.county_org_id = m.organiser
     and s.municipality_code = m.member_municipality and s.specialty_code = m.member_specialty
     and s.service_type = m.service_type and s.year = m.data_year
)
select organiser, municipality_code, specialty_code, service_type, year, data_year, month_no, measure,
       case when count(*) = count(value) then sum(value) end as value
from rows
unpivot include nulls (value for measure in (visits, care_periods, bed_days, cost_eur))
group by all;

-- The last month with data of each organiser and year (the cube's, whatever the cell).
create or replace table intermediate.int_plan__data_months as
select county_org_id as organiser, year, cast(max(month(month)) as integer) as months_with_data
from marts.service_use_summary where municipality_level = 'county' group by all;

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
