-- marts.scenario_definitions: the alternatives as configured (config/scenarios.yaml), for the scenario page.
create or replace table marts.scenario_definitions as
with
moved as (
    select ss.scenario_code,
           string_agg(coalesce(sp.specialty_name_fi, ss.specialty_code), ', ' order by ss.specialty_code) filter (where ss.moves) as moved_specialties_fi,
           string_agg(coalesce(sp.specialty_name_fi, ss.specialty_code), ', ' order by ss.specialty_code) filter (where ss.bed_days) as bed_day_specialties_fi,
           string_agg(coalesce(word('specialty', ss.specialty_code, 'sv'), sp.specialty_name_fi, ss.specialty_code), ', ' order by ss.specialty_code) filter (where ss.moves) as moved_specialties_sv,
           string_agg(coalesce(word('specialty', ss.specialty_code, 'en'), sp.specialty_name_fi, ss.specialty_code), ', ' order by ss.specialty_code) filter (where ss.moves) as moved_specialties_en,
           string_agg(coalesce(word('specialty', ss.specialty_code, 'sv'), sp.specialty_name_fi, ss.specialty_code), ', ' order by ss.specialty_code) filter (where ss.bed_days) as bed_day_specialties_sv,
           string_agg(coalesce(word('specialty', ss.specialty_code, 'en'), sp.specialty_name_fi, ss.specialty_code), ', ' order by ss.specialty_code) filter (where ss.bed_days) as bed_day_specialties_en
    from staging.stg_config__scenario_specialties ss
    left join staging.stg_service_use__specialties sp using (specialty_code)
    group by ss.scenario_code
)
select sc.scenario_code, sc.name_fi as scenario_name_fi, sc.description_fi, sc.sort_order as scenario_sort,
       sc.scenario_code = 'nykymalli' as is_baseline,
       case when sc.scenario_code = 'nykymalli' then null else sc.start_year end as start_year,
       case when sc.scenario_code = 'nykymalli' then null else sc.ramp_years end as ramp_years,
       sc.move_share, m.moved_specialties_fi, sc.move_unit_cost_eur, sc.hospital_unit_cost_change,
       sc.bed_day_change, m.bed_day_specialties_fi, sc.cost_per_bed_day_eur, sc.fixed_cost_eur,
       (select max(area_name_fi) from staging.stg_config__scenario_area) as area_name_fi,
       (select count(distinct municipality_code) from staging.stg_config__scenario_area) as area_municipalities,
       m.moved_specialties_sv, m.moved_specialties_en, m.bed_day_specialties_sv, m.bed_day_specialties_en,
       sc.name_sv as scenario_name_sv, sc.name_en as scenario_name_en, sc.description_sv, sc.description_en,
       -- the pilot area's name is a proper name (config/scenarios.yaml area.name_fi), the same in every language
       (select max(area_name_fi) from staging.stg_config__scenario_area) as area_name_sv,
       (select max(area_name_fi) from staging.stg_config__scenario_area) as area_name_en
from staging.stg_config__scenarios sc
left join moved m using (scenario_code)
order by sc.sort_order;
