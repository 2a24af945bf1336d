-- marts.service_use_summary: hospital-district service use per month × municipality (or the district total 'ALL')
-- × specialty (or 'ALL') × service type (or 'ALL'), with small-number protection applied: a withheld cell
-- (is_suppressed) has every count, euro, rate and share NULL. Rates are per 1 000 residents (euros per resident);
-- shares are of the district total of the same month, specialty and service type.
create or replace table marts.service_use_summary as
with
cells as (
    select * from intermediate.int_service_use__cells where municipality_level in ('municipality', 'district')
),
names as (
    select municipality_code, arg_max(name_fi, year) as name_fi
    from staging.stg_statfi__municipality_years group by municipality_code
)
select
    c.month,
    cast(year(c.month) as integer)                                        as year,
    c.municipality_level,
    c.municipality_code,
    case when c.municipality_level = 'district' then 'Alue yhteensä' else coalesce(n.name_fi, c.municipality_code) end
                                                                          as municipality_name_fi,
    c.specialty_code,
    case when c.specialty_code = 'ALL' then 'Kaikki erikoisalat' else coalesce(s.specialty_name_fi, c.specialty_code) end
                                                                          as specialty_name_fi,
    c.service_type,
    case c.service_type
        when 'outpatient_visit' then 'Avohoitokäynti'
        when 'inpatient_period' then 'Vuodeosastohoitojakso'
        when 'day_surgery' then 'Päiväkirurgia'
        when 'other' then 'Muu palvelu'
        else 'Kaikki palvelumuodot' end                                   as service_type_fi,
    case when c.suppressed then null else c.visits end                    as visits,
    case when c.suppressed then null else c.care_periods end              as care_periods,
    case when c.suppressed then null else c.bed_days end                  as bed_days,
    case when c.suppressed then null else c.patients end                  as patients,
    case when c.suppressed then null else c.cost_eur end                  as cost_eur,
    c.suppressed                                                          as is_suppressed,
    c.suppression,
    p.population,
    case when not c.suppressed and p.population > 0 then round(c.visits * 1000.0 / p.population, 3) end
                                                                          as visits_per_1000,
    case when not c.suppressed and p.population > 0 then round(c.care_periods * 1000.0 / p.population, 3) end
                                                                          as care_periods_per_1000,
    case when not c.suppressed and p.population > 0 then round(c.bed_days * 1000.0 / p.population, 3) end
                                                                          as bed_days_per_1000,
    case when not c.suppressed and p.population > 0 then round(c.patients * 1000.0 / p.population, 3) end
                                                                          as patients_per_1000,
    case when not c.suppressed and p.population > 0 then round(cast(c.cost_eur as double) / p.population, 2) end
                                                                          as cost_eur_per_resident,
    case when not c.suppressed and not d.suppressed and d.visits > 0 then round(c.visits / d.visits, 4) end
                                                                          as visits_share_of_district,
    case when not c.suppressed and not d.suppressed and d.care_periods > 0 then round(c.care_periods / d.care_periods, 4) end
                                                                          as care_periods_share_of_district,
    case when not c.suppressed and not d.suppressed and d.cost_eur > 0 then round(cast(c.cost_eur / d.cost_eur as double), 4) end
                                                                          as cost_eur_share_of_district,
    'Sairaanhoitopiirin palvelukäyttö; väestö THL / Sotkanet, Tilastokeskus' as source
from cells c
left join intermediate.int_service_use__cells d
  on d.municipality_level = 'district' and d.month = c.month
 and d.specialty_code = c.specialty_code and d.service_type = c.service_type
left join names n on n.municipality_code = c.municipality_code
left join staging.stg_service_use__specialties s on s.specialty_code = c.specialty_code
left join intermediate.int_service_use__area_population p
  on p.municipality_level = c.municipality_level and p.municipality_code = c.municipality_code and p.year = year(c.month);
