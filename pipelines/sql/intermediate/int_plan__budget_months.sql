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
