-- marts.budget_vs_actual (docs/plan.md, "Budgets"): per organisation or service area × year × account group the
-- budget (phased: given / seasonal / flat), and for the account group 'erikoissairaanhoito' (specialist care bought
-- from the hospital) the actual to date, the year-end forecast with its band and the forecast as % of the budget:
-- the actual is the organiser's published service-use euros (marts.service_use_summary through
-- intermediate.int_plan__forecast; NULL when a month to date is withheld). Other account groups have no actual yet.
create or replace table marts.budget_vs_actual as
with b as (
    select organisation_code, any_value(organisation_name_fi) as organisation_name_fi, any_value(organiser) as organiser,
           year, account_group, max(version) as budget_version, any_value(phasing) as phasing, sum(budget) as budget_year
    from intermediate.int_plan__budget_months group by organisation_code, year, account_group
),
f as (
    select b.*, f.months_with_data, f.is_withheld, f.actual_ytd, f.forecast, f.forecast_low, f.forecast_high,
           (select sum(budget) from intermediate.int_plan__budget_months m where m.organisation_code = b.organisation_code
              and m.year = b.year and m.account_group = b.account_group and m.month_no <= f.months_with_data) as budget_ytd
    from b
    left join intermediate.int_plan__forecast f
      on b.account_group = 'erikoissairaanhoito' and f.organiser = b.organiser and f.municipality_code = b.organiser
     and f.specialty_code = 'ALL' and f.service_type = 'ALL' and f.year = b.year and f.measure = 'cost_eur'
)
select
    organisation_code, coalesce(organisation_name_fi, organisation_code) as organisation_name_fi, organiser, year, account_group,
    budget_version, phasing, round(budget_year, 2) as budget_year, months_with_data,
    round(budget_ytd, 2) as budget_ytd,
    case when not is_withheld then actual_ytd end as actual_ytd,
    case when not is_withheld then round(actual_ytd - budget_ytd, 2) end as deviation_ytd,
    case when not is_withheld and budget_ytd > 0 then round((actual_ytd - budget_ytd) * 100.0 / budget_ytd, 1) end as deviation_ytd_pct,
    case when not is_withheld then round(forecast, 2) end as forecast,
    case when not is_withheld then round(forecast_low, 2) end as forecast_low,
    case when not is_withheld then round(forecast_high, 2) end as forecast_high,
    case when not is_withheld and budget_year > 0 then round(forecast * 100.0 / budget_year, 1) end as forecast_vs_budget_pct,
    case when is_withheld is null or is_withheld or forecast_low is null or forecast_high is null then null
         when forecast_low > budget_year then 'arvio ylittää talousarvion'
         when forecast_high < budget_year then 'arvio alittaa talousarvion'
         else 'ei selvää poikkeamaa' end as status_fi,
    coalesce(is_withheld, false) as is_withheld,
    (select bool_or(source_file like '%/data/demo/%') from staging.stg_plan__budgets s where s.organisation_code = f.organisation_code and s.year = f.year) as is_demo
from f;
