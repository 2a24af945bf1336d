-- intermediate.int_foresight__projection: projected use per municipality × specialty × service type × year × population
-- variant × rate assumption (unsuppressed; the marts publish it). Method (docs/foresight.md):
--   expected_0(m)  = Σ_age profile(age) × population(m, age, base year)
--   projected(m,y) = observed_0(m) × Σ_age profile(age) × population(m, age, y, variant) / expected_0(m)
--                    × (1 + annual_change)^(y − base year)
-- i.e. today's age-specific rates (the profile set of int_foresight__profile_choice, calibrated to each municipality's own observed level: indirect
-- standardisation) applied to the projected age structure. A measure whose profile gives nothing for the
-- municipality (expected_0 = 0) grows with the municipality's total population instead. Euros at base-year prices.
create or replace table intermediate.int_foresight__projection as
with
settings as (select * from intermediate.int_foresight__settings),
observed as (
    select y.municipality_code, y.specialty_code, y.service_type,
           cast(y.visits as double) as visits, cast(y.care_periods as double) as care_periods,
           cast(y.bed_days as double) as bed_days, cast(y.cost_eur as double) as cost_eur
    from intermediate.int_service_use__yearly y, settings s
    where y.year = s.base_year
),
weighted as (
    -- Σ_age profile × population, per municipality × combo × year × variant (and the base year's main variant)
    select o.municipality_code, o.specialty_code, o.service_type, p.year, p.variant,
           sum(a.r_visits * p.population) as w_visits,
           sum(a.r_care_periods * p.population) as w_care_periods,
           sum(a.r_bed_days * p.population) as w_bed_days,
           sum(a.r_cost_eur * p.population) as w_cost_eur,
           sum(p.population) as w_total
    from observed o
    join intermediate.int_foresight__profile_choice c using (municipality_code, specialty_code, service_type)
    join intermediate.int_foresight__age_profile a
      on a.specialty_code = o.specialty_code and a.service_type = o.service_type and a.profile_source = c.profile_source
    join intermediate.int_foresight__population p on p.municipality_code = o.municipality_code and p.age_group = a.age_group
    group by all
),
base as (
    select w.* exclude (year, variant)
    from weighted w, settings s
    where w.year = s.base_year and w.variant = s.main_variant
),
factors as (
    -- projected / observed as a ratio of weighted populations; flat (total population) where the profile is empty
    select w.municipality_code, w.specialty_code, w.service_type, w.year, w.variant,
           case when b.w_visits > 0 then w.w_visits / b.w_visits else w.w_total / nullif(b.w_total, 0) end as g_visits,
           case when b.w_care_periods > 0 then w.w_care_periods / b.w_care_periods else w.w_total / nullif(b.w_total, 0) end as g_care_periods,
           case when b.w_bed_days > 0 then w.w_bed_days / b.w_bed_days else w.w_total / nullif(b.w_total, 0) end as g_bed_days,
           case when b.w_cost_eur > 0 then w.w_cost_eur / b.w_cost_eur else w.w_total / nullif(b.w_total, 0) end as g_cost_eur
    from weighted w join base b using (municipality_code, specialty_code, service_type)
)
select f.municipality_code, f.specialty_code, f.service_type, f.year, f.variant, r.rate_assumption,
       f.year = s.base_year as is_base_year,
       o.visits * f.g_visits * t.trend as visits,
       o.care_periods * f.g_care_periods * t.trend as care_periods,
       o.bed_days * f.g_bed_days * t.trend as bed_days,
       o.cost_eur * f.g_cost_eur * t.trend as cost_eur
from factors f
join observed o using (municipality_code, specialty_code, service_type)
join staging.stg_config__rate_assumptions r on r.service_type = f.service_type
cross join settings s
cross join lateral (select pow(1 + r.annual_change, f.year - s.base_year) as trend) t;
