-- marts.plan_forecast (docs/plan.md, "Forecast"): per year and planned cell (organiser × area × specialty × service
-- type × measure) the agreement, the actual to the last month with data, the year-end forecast with its band, and the
-- status: "arvio ylittää sopimuksen" / "arvio alittaa sopimuksen" only when the whole band lies above / below the
-- agreement. Withheld (is_withheld): a month to date is withheld in marts.service_use_summary; then the actual, the
-- deviation and the forecast are all NULL (each would reveal it).
create or replace table marts.plan_forecast as
with plan as (
    select organiser, municipality_code, specialty_code, service_type, year, measure,
           any_value(organiser_name_fi) as organiser_name_fi, any_value(municipality_level) as municipality_level,
           any_value(municipality_name_fi) as municipality_name_fi, any_value(specialty_name_fi) as specialty_name_fi,
           any_value(specialty_level) as specialty_level, any_value(service_type_fi) as service_type_fi, any_value(measure_fi) as measure_fi,
           max(agreement_version) as agreement_version, bool_or(is_demo) as is_demo,
           any_value(organiser_name_sv) as organiser_name_sv, any_value(organiser_name_en) as organiser_name_en,
           any_value(municipality_name_sv) as municipality_name_sv, any_value(municipality_name_en) as municipality_name_en,
           any_value(specialty_name_sv) as specialty_name_sv, any_value(specialty_name_en) as specialty_name_en,
           any_value(service_type_sv) as service_type_sv, any_value(service_type_en) as service_type_en,
           any_value(measure_sv) as measure_sv, any_value(measure_en) as measure_en
    from marts.plan_vs_actual_monthly group by organiser, municipality_code, specialty_code, service_type, year, measure
),
-- The year's plan from the unrounded months (the monthly mart rounds each month: 12 rounded months need not add up),
-- summed exactly (DECIMAL): a sum of doubles depends on the order it is added in, which changes between runs.
plan_years as (
    select organiser, municipality_code, specialty_code, service_type, year, measure,
           sum(cast(plan as decimal(38, 10))) as plan_year
    from intermediate.int_plan__agreement_months group by all
),
f as (
    select p.*, plan_years.plan_year, f.months_with_data, f.method, f.is_withheld,
           (select sum(cast(plan as decimal(38, 10))) from intermediate.int_plan__agreement_months a
             where a.organiser = p.organiser and a.municipality_code = p.municipality_code and a.specialty_code = p.specialty_code
               and a.service_type = p.service_type and a.year = p.year and a.measure = p.measure and a.month_no <= f.months_with_data) as plan_ytd,
           f.actual_ytd,
           f.forecast, f.forecast_low, f.forecast_high
    from plan p join plan_years using (organiser, municipality_code, specialty_code, service_type, year, measure)
    join intermediate.int_plan__forecast f using (organiser, municipality_code, specialty_code, service_type, year, measure)
)
select
    organiser, organiser_name_fi, year, municipality_level, municipality_code, municipality_name_fi, specialty_code,
    specialty_name_fi, specialty_level, service_type, service_type_fi, measure, measure_fi, agreement_version, months_with_data, method,
    cast(round(plan_year, 2) as double) as plan_year,
    cast(round(coalesce(plan_ytd, 0), 2) as double) as plan_ytd,
    case when not is_withheld then actual_ytd end as actual_ytd,
    case when not is_withheld then cast(round(actual_ytd - coalesce(plan_ytd, 0), 2) as double) end as deviation_ytd,
    -- percentages exact, rounded half away from zero (macros/percent.sql)
    case when not is_withheld then percent(actual_ytd - plan_ytd, plan_ytd) end as deviation_ytd_pct,
    case when not is_withheld then round(forecast, 2) end as forecast,
    case when not is_withheld then round(forecast_low, 2) end as forecast_low,
    case when not is_withheld then round(forecast_high, 2) end as forecast_high,
    case when not is_withheld then round(forecast - cast(plan_year as double), 2) end as forecast_deviation,
    case when not is_withheld then percent(forecast, plan_year) end as forecast_vs_plan_pct,
    forecast_status_fi(is_withheld, forecast_low, forecast_high, plan_year, 'sopimuksen') as status_fi,
    -- the status in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    forecast_status_word(is_withheld, forecast_low, forecast_high, plan_year, 'agreement', 'sv') as status_sv,
    forecast_status_word(is_withheld, forecast_low, forecast_high, plan_year, 'agreement', 'en') as status_en,
    organiser_name_sv, organiser_name_en, municipality_name_sv, municipality_name_en, specialty_name_sv, specialty_name_en,
    service_type_sv, service_type_en, measure_sv, measure_en,
    is_withheld,
    coalesce(is_demo, false) as is_demo,
    -- The municipality (or area) × specialty (or group) cells of an organiser, year, measure and service type by euro
    -- impact: the largest deviation to date (either way) first; withheld ones last.
    case when municipality_level in ('municipality', 'area') and specialty_code <> 'ALL'
         then cast(row_number() over (partition by organiser, year, measure, service_type, municipality_level in ('municipality', 'area') and specialty_code <> 'ALL'
                                      order by case when is_withheld then null else abs(actual_ytd - coalesce(plan_ytd, 0)) end desc nulls last,
                                               municipality_name_fi, specialty_name_fi) as integer) end as deviation_rank
from f;
