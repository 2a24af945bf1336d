-- marts.scenario_results: the scenarios of config/scenarios.yaml side by side with the baseline ('nykymalli'), per
-- year × municipality of the pilot area and for the whole area (municipality_code 'ALL'): activity (outpatient
-- visits in the hospital and in the new place, bed days), euros (care, travel, fixed, total) and the difference to
-- the baseline, yearly and cumulative from the base year. Euros at base-year prices. A municipality whose base-year
-- monthly patient count in outpatient care is 1..4 is withheld, and then also the next smallest one, so that the
-- area total cannot reveal it. Differences are rounded to whole units (+ 0.0 turns a rounded −0 into 0).
create or replace table marts.scenario_results as
with
settings as (select * from intermediate.int_foresight__settings),
rows as (
    select scenario_code, municipality_code, year, hospital_visits, local_visits, bed_days,
           care_cost_eur, travel_cost_eur, fixed_cost_eur
    from intermediate.int_foresight__scenarios
    union all
    select scenario_code, 'ALL', year, sum(hospital_visits), sum(local_visits), sum(bed_days),
           sum(care_cost_eur), sum(travel_cost_eur), sum(fixed_cost_eur)
    from intermediate.int_foresight__scenarios
    group by scenario_code, year
),
with_total as (
    select *, hospital_visits + local_visits as outpatient_visits,
           care_cost_eur + travel_cost_eur + fixed_cost_eur as total_cost_eur
    from rows
),
diffs as (
    select r.*,
           r.hospital_visits - b.hospital_visits as diff_hospital_visits,
           r.local_visits - b.local_visits as diff_local_visits,
           r.bed_days - b.bed_days as diff_bed_days,
           r.care_cost_eur - b.care_cost_eur as diff_care_cost_eur,
           r.travel_cost_eur - b.travel_cost_eur as diff_travel_cost_eur,
           r.fixed_cost_eur - b.fixed_cost_eur as diff_fixed_cost_eur,
           r.total_cost_eur - b.total_cost_eur as diff_total_cost_eur
    from with_total r
    join with_total b on b.scenario_code = 'nykymalli' and b.municipality_code = r.municipality_code and b.year = r.year
),
protection as (
    select municipality_code, max(p) as protected_n
    from (select m.municipality_code, m.month, sum(coalesce(m.patients, m.visits)) as p
          from staging.stg_service_use__monthly m, settings s
          where year(m.month) = s.base_year and m.service_type = 'outpatient_visit'
            and m.municipality_code in (select municipality_code from staging.stg_config__scenario_area)
          group by all)
    group by municipality_code
),
primary_withheld as (select municipality_code from protection where protected_n between 1 and 4),
withheld as (
    select municipality_code from primary_withheld
    union all
    select * from (select municipality_code from protection
                   where municipality_code not in (select municipality_code from primary_withheld)
                   order by protected_n, municipality_code limit 1)
    where (select count(*) from primary_withheld) = 1
)
select
    d.scenario_code, sc.name_fi as scenario_name_fi, sc.sort_order as scenario_sort,
    sc.name_sv as scenario_name_sv, sc.name_en as scenario_name_en,
    d.year, make_date(d.year, 12, 31) as year_end, d.year >= sc.start_year and d.scenario_code <> 'nykymalli' as in_effect,
    d.municipality_code,
    case when d.municipality_code = 'ALL' then (select max(area_name_fi) from staging.stg_config__scenario_area)
         else coalesce(n.name_fi, d.municipality_code) end as municipality_name_fi,
    -- the registry's Swedish and English names; the pilot area's name is the configuration's (a proper name)
    case when d.municipality_code = 'ALL' then (select max(area_name_fi) from staging.stg_config__scenario_area)
         else coalesce(n.name_sv, n.name_fi, d.municipality_code) end as municipality_name_sv,
    case when d.municipality_code = 'ALL' then (select max(area_name_fi) from staging.stg_config__scenario_area)
         else coalesce(n.name_en, n.name_fi, d.municipality_code) end as municipality_name_en,
    d.municipality_code in (select municipality_code from withheld) as suppressed,
    case when w.municipality_code is null then round(d.hospital_visits) end as hospital_visits,
    case when w.municipality_code is null then round(d.local_visits) end as local_visits,
    case when w.municipality_code is null then round(d.outpatient_visits) end as outpatient_visits,
    case when w.municipality_code is null then round(d.bed_days) end as bed_days,
    case when w.municipality_code is null then round(d.care_cost_eur) end as care_cost_eur,
    case when w.municipality_code is null then round(d.travel_cost_eur) end as travel_cost_eur,
    case when w.municipality_code is null then round(d.fixed_cost_eur) end as fixed_cost_eur,
    case when w.municipality_code is null then round(d.total_cost_eur) end as total_cost_eur,
    case when w.municipality_code is null then round(d.diff_hospital_visits) + 0.0 end as diff_hospital_visits,
    case when w.municipality_code is null then round(d.diff_local_visits) + 0.0 end as diff_local_visits,
    case when w.municipality_code is null then round(d.diff_bed_days) + 0.0 end as diff_bed_days,
    case when w.municipality_code is null then round(d.diff_care_cost_eur) + 0.0 end as diff_care_cost_eur,
    case when w.municipality_code is null then round(d.diff_travel_cost_eur) + 0.0 end as diff_travel_cost_eur,
    case when w.municipality_code is null then round(d.diff_fixed_cost_eur) + 0.0 end as diff_fixed_cost_eur,
    case when w.municipality_code is null then round(d.diff_total_cost_eur) + 0.0 end as diff_total_cost_eur,
    case when w.municipality_code is null then round(sum(d.diff_total_cost_eur) over (
        partition by d.scenario_code, d.municipality_code order by d.year)) + 0.0 end as cum_diff_total_cost_eur,
    s.base_year
from diffs d
join staging.stg_config__scenarios sc using (scenario_code)
left join intermediate.int_municipality__latest_names n using (municipality_code)
left join withheld w using (municipality_code)
cross join settings s
order by sc.sort_order, d.municipality_code = 'ALL' desc, d.municipality_code, d.year;
