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
