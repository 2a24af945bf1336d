-- The plans phased to months (docs/plan.md, "Phasing"). A line with a month is that month's plan; a whole-year line
-- is spread by last year's seasonality of its organiser's total of the same measure (all specialties and service
-- types, marts.service_use_summary) when all 12 months of it are published and positive, else evenly (1/12).
create or replace table intermediate.int_plan__seasonality as
with prev as (
    select county_org_id as organiser, year + 1 as year, measure, cast(month(month) as integer) as month_no, value
    from (select county_org_id, year, month, visits, care_periods, bed_days, cost_eur from marts.service_use_summary
          where municipality_level = 'county' and specialty_code = 'ALL' and service_type = 'ALL')
    unpivot include nulls (value for measure in (visits, care_periods, bed_days, cost_eur))
),
ok as (select organiser, year, measure from prev group by all having count(value) filter (where value > 0) = 12)
select p.organiser, p.year, p.measure, p.month_no, p.value / sum(p.value) over (partition by p.organiser, p.year, p.measure) as share
from prev p join ok using (organiser, year, measure);
