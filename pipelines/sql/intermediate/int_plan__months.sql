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

-- Budgets of an organisation, a service area or a unit (the organiser: the county above it). The account group
-- 'henkilötyövuodet' is a staffing level (person-years), not a sum over months: a whole-year line is the level of every
-- month, never phased (docs/plan.md, "Budgets").
create or replace table intermediate.int_plan__budget_months as
with org as (
    select organisation_code, organisation_code as organiser, name_fi, 'organisation' as organisation_level, null::varchar as service_area_code
    from staging.stg_config__organisations
    union all
    select service_area_code, organisation_code, name_fi, 'service_area', service_area_code from staging.stg_config__service_areas
    union all
    select u.unit_code, a.organisation_code, u.name_fi, 'unit', u.service_area_code
    from staging.stg_config__units u join staging.stg_config__service_areas a using (service_area_code)
),
annual as (select organisation_code, year, account_group, bool_or(month is not null) as given from staging.stg_plan__budgets group by all)
select b.organisation_code, o.organiser, o.name_fi as organisation_name_fi, o.organisation_level, o.service_area_code,
       b.year, b.account_group, m.month_no,
       max(b.version) as version,
       case when any_value(a.given) then 'given' when b.account_group = 'henkilötyövuodet' then 'flat'
            when any_value(s.share) is not null then 'seasonal' else 'flat' end as phasing,
       sum(case when b.month is not null or b.account_group = 'henkilötyövuodet' then b.euros
                else b.euros * coalesce(s.share, 1.0 / 12) end) as budget
from staging.stg_plan__budgets b
join annual a using (organisation_code, year, account_group)
left join org o on o.organisation_code = b.organisation_code
cross join (select unnest(range(1, 13)) as month_no) m
left join intermediate.int_plan__seasonality s on s.organiser = o.organiser and s.year = b.year and s.measure = 'cost_eur' and s.month_no = m.month_no
where b.month is null or b.month = m.month_no
group by b.organisation_code, o.organiser, o.name_fi, o.organisation_level, o.service_area_code, b.year, b.account_group, m.month_no;
