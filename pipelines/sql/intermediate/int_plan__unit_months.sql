-- Actuals and the year-end forecast of the budgets the units' own data can answer (docs/plan.md, "Budgets"): the
-- account groups 'henkilötyövuodet' (staffing, person-years: staff_htv, a level averaged over the months) and
-- 'käynnit' (visits, summed), of a unit, a service area (its units) or an organisation (the units of its service
-- areas), from staging.stg_unit_data__monthly: these two columns are published unchanged in marts.unit_data_monthly
-- (no small-number rule applies to them), so nothing here reveals what a page does not show.
--   A month's value is the sum over the units valid in it that report in that year; NULL (not reported) when one of
--   them has no figure for it. The forecast is the service-use one (int_plan__forecast.sql): base_m = last year's
--   month when all 12 are known and positive ('seasonal'), else 1 ('flat'); run rate = Σ actual / Σ base to date;
--   forecast = Σ actual + Σ remaining base × run rate, band × the lowest / highest monthly rate. For the staffing
--   level the year to date and the forecast are divided by the months (n, 12): the average level.
create or replace table intermediate.int_plan__unit_months as
with budgets as (
    select distinct organisation_code, year, account_group from staging.stg_plan__budgets
    where account_group in ('henkilötyövuodet', 'käynnit')
),
members as (
    select b.organisation_code, b.year, b.account_group, u.unit_code, u.valid_from, u.valid_to
    from budgets b
    join staging.stg_config__units u on true
    join staging.stg_config__service_areas a on a.service_area_code = u.service_area_code
    where b.organisation_code in (u.unit_code, u.service_area_code, a.organisation_code)
),
reporting as (select distinct unit_code, cast(year(month) as integer) as data_year from staging.stg_unit_data__monthly),
expected as (
    select m.organisation_code, m.year, m.account_group, m.unit_code, r.data_year, mo.month_no, make_date(r.data_year, mo.month_no, 1) as month
    from members m
    join reporting r on r.unit_code = m.unit_code and r.data_year in (m.year, m.year - 1)
    cross join (select unnest(range(1, 13))::integer as month_no) mo
    where make_date(r.data_year, mo.month_no, 1) between coalesce(date_trunc('month', m.valid_from), date '1900-01-01')
                                                     and coalesce(m.valid_to, date '9999-12-31')
)
select e.organisation_code, e.year, e.account_group, e.data_year, e.month_no,
       case when count(*) = count(case e.account_group when 'henkilötyövuodet' then d.staff_htv else d.visits end)
            then sum(case e.account_group when 'henkilötyövuodet' then d.staff_htv else d.visits end) end as value,
       count(d.unit_code) > 0 as reported
from expected e
left join staging.stg_unit_data__monthly d on d.unit_code = e.unit_code and d.month = e.month
group by all;
