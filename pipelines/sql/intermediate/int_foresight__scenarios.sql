-- intermediate.int_foresight__scenarios: every scenario of config/scenarios.yaml and the baseline ('nykymalli') per year
-- × municipality of the pilot area, on the central service-need projection (unsuppressed). Per specialty:
--   ramp(y)        = 0 before start_year, then (y − start_year + 1) / ramp_years, at most 1
--   moved          = outpatient visits × share × ramp              (specialties listed in move_outpatient)
--   hospital euros = outpatient euros × (1 − share × ramp) × (1 + hospital_unit_cost_change × ramp)
--   local euros    = moved × unit_cost_eur (omitted: the municipality's own hospital euros per visit)
--   bed days       = bed days × (1 + change × ramp); inpatient euros change by Δ bed days × cost_per_bed_day_eur
--   travel euros   = hospital visits × cost of the hospital's distance class + moved × cost of the new place's class
--   fixed euros    = fixed_cost_eur_per_year from start_year, shared by the municipalities' population
-- Day surgery and other contacts stay as they are.
create or replace table intermediate.int_foresight__scenarios as
with
settings as (select * from intermediate.int_foresight__settings),
area as (select distinct municipality_code from staging.stg_config__scenario_area),
central as (
    select p.* from intermediate.int_foresight__projection p, settings s
    where p.variant = s.main_variant and p.rate_assumption = s.main_rate_assumption
      and p.municipality_code in (select municipality_code from area)
),
population as (
    select p.municipality_code, p.year, sum(p.population) as population
    from intermediate.int_foresight__population p, settings s
    where p.variant = s.main_variant and p.municipality_code in (select municipality_code from area)
    group by all
),
population_share as (
    select municipality_code, year, population / sum(population) over (partition by year) as share
    from population
),
rows as (
    select sc.scenario_code, c.municipality_code, c.year, c.specialty_code, c.service_type,
           c.visits, c.bed_days, c.cost_eur,
           case when c.year < sc.start_year then 0.0
                else least(1.0, (c.year - sc.start_year + 1) / sc.ramp_years) end as ramp,
           coalesce(ss.moves, false) as moves, coalesce(ss.bed_days, false) as changes_bed_days,
           sc.move_share, sc.move_unit_cost_eur, sc.hospital_unit_cost_change, sc.bed_day_change, sc.cost_per_bed_day_eur,
           coalesce(t.hospital_cost_eur, 0) as hospital_travel_eur, coalesce(t.local_cost_eur, 0) as local_travel_eur
    from central c
    cross join staging.stg_config__scenarios sc
    left join staging.stg_config__scenario_specialties ss
      on ss.scenario_code = sc.scenario_code and ss.specialty_code = c.specialty_code
    left join staging.stg_config__scenario_travel t
      on t.scenario_code = sc.scenario_code and t.municipality_code = c.municipality_code
),
shares as (
    select *,
           case when service_type = 'outpatient_visit' and moves then move_share * ramp else 0.0 end as moved_share,
           case when service_type = 'inpatient_period' and changes_bed_days then bed_day_change * ramp else 0.0 end as bed_change
    from rows
),
per_municipality as (
    select scenario_code, municipality_code, year,
           sum(case when service_type = 'outpatient_visit' then visits * (1 - moved_share) else 0 end) as hospital_visits,
           sum(case when service_type = 'outpatient_visit' then visits * moved_share else 0 end) as local_visits,
           sum(case when service_type = 'inpatient_period' then bed_days * (1 + bed_change) else 0 end) as bed_days,
           sum(case
                   when service_type = 'outpatient_visit' then
                       cost_eur * (1 - moved_share) * (1 + case when moved_share > 0 then hospital_unit_cost_change * ramp else 0 end)
                     + visits * moved_share * coalesce(move_unit_cost_eur, cost_eur / nullif(visits, 0), 0)
                   when service_type = 'inpatient_period' then cost_eur + bed_days * bed_change * cost_per_bed_day_eur
                   else cost_eur
               end) as care_cost_eur,
           sum(case when service_type = 'outpatient_visit'
                    then visits * (1 - moved_share) * hospital_travel_eur + visits * moved_share * local_travel_eur
                    else 0 end) as travel_cost_eur
    from shares
    group by all
)
select m.scenario_code, m.municipality_code, m.year,
       m.hospital_visits, m.local_visits, m.bed_days, m.care_cost_eur, m.travel_cost_eur,
       case when m.year >= sc.start_year then sc.fixed_cost_eur * coalesce(p.share, 0) else 0 end as fixed_cost_eur
from per_municipality m
join staging.stg_config__scenarios sc using (scenario_code)
left join population_share p using (municipality_code, year);
