-- marts.budget_vs_actual (docs/plan.md, "Budgets"): per organisation, service area or unit × year × account group the
-- budget (phased: given / seasonal / flat) and, where the warehouse has an actual, the actual to date, the year-end
-- forecast with its band and the forecast as % of the budget (actual_source):
--   'erikoissairaanhoito' (specialist care bought from the hospital, euros): the organiser's published service-use
--     euros (marts.service_use_summary through intermediate.int_plan__forecast; NULL when a month to date is withheld);
--   'henkilötyövuodet' (staffing, person-years, a level: year = the months' average) and 'käynnit' (visits): the
--     units' own data of the organisation, service area or unit (intermediate.int_plan__unit_forecast; NULL when a
--     unit has not reported a month to date).
-- Other account groups show the budget only.
create or replace table marts.budget_vs_actual as
with b as (
    select organisation_code, any_value(organisation_name_fi) as organisation_name_fi, any_value(organiser) as organiser,
           any_value(organisation_level) as organisation_level, any_value(service_area_code) as service_area_code,
           year, account_group, max(version) as budget_version, any_value(phasing) as phasing,
           -- A staffing level is averaged over the months; everything else adds up.
           case when account_group = 'henkilötyövuodet' then avg(budget) else sum(budget) end as budget_year
    from intermediate.int_plan__budget_months group by organisation_code, year, account_group
),
f as (
    select b.*,
           case when f.organiser is not null then 'service_use' when u.organisation_code is not null then 'unit_data' end as actual_source,
           coalesce(f.months_with_data, u.months_with_data) as months_with_data,
           coalesce(f.is_withheld, false) as is_withheld, coalesce(u.is_incomplete, false) as is_incomplete,
           coalesce(f.actual_ytd, u.actual_ytd) as actual_ytd, coalesce(f.forecast, u.forecast) as forecast,
           coalesce(f.forecast_low, u.forecast_low) as forecast_low, coalesce(f.forecast_high, u.forecast_high) as forecast_high
    from b
    left join intermediate.int_plan__forecast f
      on b.account_group = 'erikoissairaanhoito' and b.organisation_level <> 'unit' and f.organiser = b.organiser
     and f.municipality_code = b.organiser and f.specialty_code = 'ALL' and f.service_type = 'ALL' and f.year = b.year and f.measure = 'cost_eur'
    left join intermediate.int_plan__unit_forecast u
      on u.organisation_code = b.organisation_code and u.year = b.year and u.account_group = b.account_group
),
-- The budget of the months with data (a staffing level: their average).
ytd as (
    select f.organisation_code, f.year, f.account_group,
           case when f.account_group = 'henkilötyövuodet' then avg(m.budget) else sum(m.budget) end as budget_ytd
    from f join intermediate.int_plan__budget_months m
      on m.organisation_code = f.organisation_code and m.year = f.year and m.account_group = f.account_group and m.month_no <= f.months_with_data
    group by f.organisation_code, f.year, f.account_group
)
select
    organisation_code, coalesce(organisation_name_fi, organisation_code) as organisation_name_fi, organiser,
    coalesce(organisation_level, 'organisation') as organisation_level, service_area_code, year, account_group,
    case account_group when 'henkilötyövuodet' then 'htv' when 'käynnit' then 'käyntiä' else '€' end as unit_fi,
    actual_source,
    budget_version, phasing, round(budget_year, 2) as budget_year, months_with_data,
    round(budget_ytd, 2) as budget_ytd,
    case when not is_withheld then round(actual_ytd, digits) end as actual_ytd,
    case when not is_withheld then round(actual_ytd - budget_ytd, digits) + 0.0 end as deviation_ytd, -- + 0.0: never a -0
    case when not is_withheld and budget_ytd > 0 then round((actual_ytd - budget_ytd) * 100.0 / budget_ytd, 1) + 0.0 end as deviation_ytd_pct,
    case when not is_withheld then round(forecast, digits) end as forecast,
    case when not is_withheld then round(forecast_low, digits) end as forecast_low,
    case when not is_withheld then round(forecast_high, digits) end as forecast_high,
    case when not is_withheld and budget_year > 0 then round(forecast * 100.0 / budget_year, 1) end as forecast_vs_budget_pct,
    forecast_status_fi(is_withheld, forecast_low, forecast_high, budget_year, 'talousarvion') as status_fi,
    -- the status and the unit in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    forecast_status_word(is_withheld, forecast_low, forecast_high, budget_year, 'budget', 'sv') as status_sv,
    forecast_status_word(is_withheld, forecast_low, forecast_high, budget_year, 'budget', 'en') as status_en,
    word('unit', unit_fi, 'sv') as unit_sv, word('unit', unit_fi, 'en') as unit_en,
    -- the organisation's, service area's or unit's own name (the budget file's, Finnish) in every language
    coalesce(organisation_name_fi, organisation_code) as organisation_name_sv,
    coalesce(organisation_name_fi, organisation_code) as organisation_name_en,
    -- the account group (the budget file's Finnish word) in each language: the vocabulary's word of a known group,
    -- else the file's own word
    account_group as account_group_fi,
    coalesce(word('account_group', account_group, 'sv'), account_group) as account_group_sv,
    coalesce(word('account_group', account_group, 'en'), account_group) as account_group_en,
    is_withheld,
    is_incomplete,
    (select bool_or(source_file like '%/data/demo/%') from staging.stg_plan__budgets s where s.organisation_code = r.organisation_code and s.year = r.year) as is_demo
from (
    -- The actual and the forecast at the precision of what they count: euros to the cent, staffing to a tenth of a
    -- person-year, visits whole (pages show them so; a page rounding a finer value could round a half the other way).
    select *, case account_group when 'henkilötyövuodet' then 1 when 'käynnit' then 0 else 2 end as digits
    from f left join ytd using (organisation_code, year, account_group)
) r;
