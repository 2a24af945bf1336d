create or replace table intermediate.int_plan__agreement_months as
with lines as (
    select organiser, municipality_code, specialty_code, service_type, year, month, version, measure, value
    from staging.stg_plan__agreements
    unpivot (value for measure in (visits, care_periods, bed_days, cost_eur))
)
select l.organiser, l.municipality_code, l.specialty_code, l.service_type, l.year, m.month_no, l.measure,
       max(l.version) as version,
       sum(case when l.month is not null then l.value else l.value * coalesce(s.share, 1.0 / 12) end) as plan
from lines l
cross join (select unnest(range(1, 13)) as month_no) m
left join intermediate.int_plan__seasonality s on s.organiser = l.organiser and s.year = l.year and s.measure = l.measure and s.month_no = m.month_no
where l.month is null or l.month = m.month_no
group by all;
