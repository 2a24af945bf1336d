-- marts.plan_vs_actual_monthly (docs/plan.md): the service agreement against the published service use per month
-- and year to date, per organiser × area (municipality, or the organiser's whole area: municipality_level 'county')
-- × specialty (or 'ALL') × service type (or 'ALL') × measure. Actuals are sums of published months of
-- marts.service_use_summary only: where a month is withheld, its actual and deviation are NULL, and so are the year-to-
-- date actual and deviation of that month and every later month of the year (is_withheld / is_ytd_withheld).
create or replace table marts.plan_vs_actual_monthly as
with su as (select * from marts.service_use_summary where municipality_level in ('county', 'municipality')),
-- Names per part of the cell: an area of the organisation model and a specialty group are named from the config.
-- (Each with its Swedish and English name: docs/evidence-offline-patch.md, "Languages"; the config's own groupings
-- and specialty groups by their Finnish name where the config has no other.)
organiser_names as (
    select county_org_id as organiser, any_value(county_name_fi) as organiser_name_fi,
           any_value(county_name_sv) as organiser_name_sv, any_value(county_name_en) as organiser_name_en
    from su group by all
),
area_names as (
    select municipality_code, any_value(municipality_level) as municipality_level, any_value(municipality_name_fi) as municipality_name_fi,
           any_value(municipality_name_sv) as municipality_name_sv, any_value(municipality_name_en) as municipality_name_en
    from su group by all
    union all
    select organisation_code, 'area', name_fi, coalesce(name_sv, name_fi), coalesce(name_en, name_fi)
    from staging.stg_config__organisations where organisation_type in ('collaboration_area', 'sub_area')
),
specialty_names as (
    select specialty_code, 'specialty' as specialty_level, any_value(specialty_name_fi) as specialty_name_fi,
           any_value(specialty_name_sv) as specialty_name_sv, any_value(specialty_name_en) as specialty_name_en
    from su group by all
    union all
    select distinct group_code, 'group', group_name_fi, group_name_fi, group_name_fi from staging.stg_config__specialty_groups
),
service_type_names as (
    select service_type, any_value(service_type_fi) as service_type_fi, any_value(service_type_sv) as service_type_sv,
           any_value(service_type_en) as service_type_en
    from su group by all
),
m as (
    select p.organiser, p.municipality_code, p.specialty_code, p.service_type, p.year, p.month_no, p.measure, p.version, p.plan,
           a.value as actual, f.months_with_data, f.is_withheld as is_forecast_withheld, f.actual_ytd as actual_to_date,
           f.base_ytd, f.rate_min, f.rate_max, fm.base,
           p.month_no <= f.months_with_data as has_actual,
           p.month_no <= f.months_with_data and a.value is null as is_withheld
    from intermediate.int_plan__agreement_months p
    left join intermediate.int_plan__forecast f using (organiser, municipality_code, specialty_code, service_type, year, measure)
    left join intermediate.int_plan__forecast_months fm using (organiser, municipality_code, specialty_code, service_type, year, measure, month_no)
    left join intermediate.int_plan__actual_months a
      on a.organiser = p.organiser and a.municipality_code = p.municipality_code and a.specialty_code = p.specialty_code
     and a.service_type = p.service_type and a.year = p.year and a.data_year = p.year and a.measure = p.measure and a.month_no = p.month_no
),
ytd as (
    select *,
           sum(cast(plan as decimal(38, 10))) over w as plan_ytd, -- exact: as marts.plan_forecast sums it
           sum(actual) over w as actual_sum,
           bool_or(is_withheld) over w as is_ytd_withheld,
           -- The forecast path: from the last month with data on, the published year to date plus the remaining
           -- months' base × run rate (band: × the lowest / highest monthly rate), as in marts.plan_forecast.
           sum(case when month_no > months_with_data then base else 0 end) over w as base_after
    from m window w as (partition by organiser, municipality_code, specialty_code, service_type, year, measure order by month_no)
)
select
    y.organiser, o.organiser_name_fi, y.year, make_date(y.year, y.month_no, 1) as month, cast(y.month_no as integer) as month_no,
    case when y.municipality_code = y.organiser then 'county' else coalesce(an.municipality_level, 'municipality') end as municipality_level,
    y.municipality_code, coalesce(an.municipality_name_fi, y.municipality_code) as municipality_name_fi,
    y.specialty_code, coalesce(sn.specialty_name_fi, y.specialty_code) as specialty_name_fi,
    case when y.specialty_code = 'ALL' then 'all' else coalesce(sn.specialty_level, 'specialty') end as specialty_level,
    y.service_type, coalesce(tn.service_type_fi, y.service_type) as service_type_fi,
    y.measure,
    case y.measure when 'visits' then 'Käynnit' when 'care_periods' then 'Hoitojaksot' when 'bed_days' then 'Hoitopäivät'
         else 'Kustannukset, €' end as measure_fi,
    y.version as agreement_version,
    round(y.plan, 2) as plan,
    case when y.has_actual and not y.is_withheld then y.actual end as actual,
    case when y.has_actual and not y.is_withheld then round(y.actual - y.plan, 2) end as deviation,
    case when y.has_actual and not y.is_withheld then percent(y.actual - y.plan, y.plan) end as deviation_pct, -- macros/percent.sql
    cast(round(y.plan_ytd, 2) as double) as plan_ytd,
    case when y.has_actual and not y.is_ytd_withheld then y.actual_sum end as actual_ytd,
    case when y.has_actual and not y.is_ytd_withheld then cast(round(y.actual_sum - y.plan_ytd, 2) as double) end as deviation_ytd,
    case when y.has_actual and not y.is_ytd_withheld then percent(y.actual_sum - y.plan_ytd, y.plan_ytd) end as deviation_ytd_pct,
    case when y.month_no >= y.months_with_data and y.months_with_data > 0 and not y.is_forecast_withheld
         then round(y.actual_to_date + y.base_after * y.actual_to_date / nullif(y.base_ytd, 0), 2) end as forecast_cumulative,
    case when y.month_no >= y.months_with_data and y.months_with_data > 0 and not y.is_forecast_withheld
         then round(y.actual_to_date + y.base_after * y.rate_min, 2) end as forecast_cumulative_low,
    case when y.month_no >= y.months_with_data and y.months_with_data > 0 and not y.is_forecast_withheld
         then round(y.actual_to_date + y.base_after * y.rate_max, 2) end as forecast_cumulative_high,
    coalesce(y.has_actual, false) as has_actual,
    coalesce(y.is_withheld, false) as is_withheld,
    coalesce(y.has_actual and y.is_ytd_withheld, false) as is_ytd_withheld,
    s.source_file like '%/data/demo/%' as is_demo,
    o.organiser_name_sv, o.organiser_name_en,
    coalesce(an.municipality_name_sv, y.municipality_code) as municipality_name_sv,
    coalesce(an.municipality_name_en, y.municipality_code) as municipality_name_en,
    coalesce(sn.specialty_name_sv, y.specialty_code) as specialty_name_sv, coalesce(sn.specialty_name_en, y.specialty_code) as specialty_name_en,
    coalesce(tn.service_type_sv, y.service_type) as service_type_sv, coalesce(tn.service_type_en, y.service_type) as service_type_en,
    word('measure', y.measure, 'sv') as measure_sv, word('measure', y.measure, 'en') as measure_en
from ytd y
left join organiser_names o using (organiser)
left join area_names an using (municipality_code)
left join specialty_names sn using (specialty_code)
left join service_type_names tn using (service_type)
left join (select organiser, year, any_value(source_file) as source_file from staging.stg_plan__agreements group by all) s using (organiser, year);
