-- marts.service_use_summary: hospital-district service use per month × municipality (or its organiser's total:
-- municipality_level 'county', one per wellbeing services county, intermediate.int_service_use__county_cells; or the
-- total of every municipality of the data, 'district' 'ALL', both organisers together: not shown on the pages)
-- × specialty (or 'ALL') × service type (or 'ALL'), with small-number protection applied: a withheld cell
-- (is_suppressed) has every count, euro, rate and share NULL. Rates are per 1 000 residents (euros per resident) of
-- population_year; shares (…_share_of_district) are of the municipality's organiser's total (its county's row) of the
-- same month, specialty and service type, shown only when that total is.
create or replace table marts.service_use_summary as
with
county_of as (  -- each municipality's organiser (county) per year, from the county cells' members
    select distinct a.year, m.municipality_code, a.org_id as county_org_id, k.county_name_fi
    from temp.su_municipality_map m
    join intermediate.int_scorecard__area_members a on a.municipality_code = m.harmonised_code
    join (select distinct county_org_id, county_name_fi from intermediate.int_service_use__county_cells) k on k.county_org_id = a.org_id
),
cells as (
    select c.month, c.municipality_level, c.municipality_code, c.specialty_code, c.service_type, c.visits, c.care_periods,
           c.bed_days, c.patients, c.cost_eur, c.suppressed, c.care_withheld, c.suppression, k.county_org_id, k.county_name_fi
    from intermediate.int_service_use__cells c
    left join county_of k  -- the level inside the key: a hash join, not a nested loop
      on k.municipality_code = case when c.municipality_level = 'municipality' then c.municipality_code end
     and k.year = year(c.month)
    where c.municipality_level in ('municipality', 'district')
    union all
    select month, 'county', county_org_id, specialty_code, service_type, visits, care_periods, bed_days, patients,
           cost_eur, suppressed, care_withheld, suppression, county_org_id, county_name_fi
    from intermediate.int_service_use__county_cells
)
select
    c.month,
    cast(year(c.month) as integer)                                        as year,
    c.municipality_level,
    c.municipality_code,
    case when c.municipality_level = 'district' then 'Pohjois-Pohjanmaa ja Kainuu yhteensä'
         when c.municipality_level = 'county' then c.county_name_fi || ' yhteensä'
         else coalesce(n.name_fi, c.municipality_code) end               as municipality_name_fi,
    c.county_org_id,
    c.county_name_fi,
    c.specialty_code,
    case when c.specialty_code = 'ALL' then 'Kaikki erikoisalat' else coalesce(s.specialty_name_fi, c.specialty_code) end
                                                                          as specialty_name_fi,
    c.service_type,
    st.service_type_fi,
    unnest(published_counts(c)),                                         -- what a withheld cell publishes
    p.population,
    p.population_year,
    unnest(published_rates(c, p.population)),
    case when c.municipality_level = 'municipality' and not c.suppressed and not d.suppressed and d.visits > 0
         then round(c.visits / d.visits, 4) end                           as visits_share_of_district,
    case when c.municipality_level = 'municipality' and not c.suppressed and not d.suppressed
              and not c.care_withheld and not d.care_withheld and d.care_periods > 0
         then round(c.care_periods / d.care_periods, 4) end               as care_periods_share_of_district,
    case when c.municipality_level = 'municipality' and not c.suppressed and not d.suppressed and d.cost_eur > 0
         then round(cast(c.cost_eur / d.cost_eur as double), 4) end       as cost_eur_share_of_district,
    'Sairaanhoitopiirin palvelukäyttö; väestö THL / Sotkanet, Tilastokeskus' as source,
    -- the names in Swedish and English (docs/evidence-offline-patch.md, "Languages"): the registry's names of the
    -- municipalities and the organisation model's of the counties (the Finnish one where there is none), the
    -- vocabulary seed's specialties and service types
    coalesce(o.name_sv, c.county_name_fi)                                 as county_name_sv,
    coalesce(o.name_en, c.county_name_fi)                                 as county_name_en,
    case when c.municipality_level = 'district' then 'Norra Österbotten och Kajanaland totalt'
         when c.municipality_level = 'county' then coalesce(o.name_sv, c.county_name_fi) || ' totalt'
         else coalesce(n.name_sv, n.name_fi, c.municipality_code) end    as municipality_name_sv,
    case when c.municipality_level = 'district' then 'North Ostrobothnia and Kainuu in total'
         when c.municipality_level = 'county' then coalesce(o.name_en, c.county_name_fi) || ' in total'
         else coalesce(n.name_en, n.name_fi, c.municipality_code) end    as municipality_name_en,
    coalesce(word('specialty', c.specialty_code, 'sv'), s.specialty_name_fi, c.specialty_code) as specialty_name_sv,
    coalesce(word('specialty', c.specialty_code, 'en'), s.specialty_name_fi, c.specialty_code) as specialty_name_en,
    st.service_type_sv,
    st.service_type_en,
    'Sairaanhoitopiirin palvelukäyttö; väestö THL / Sotkanet, Tilastokeskus' as source_fi,
    'Sjukvårdsdistriktets serviceanvändning; befolkning THL / Sotkanet, Statistikcentralen' as source_sv,
    'Hospital district service use; population THL / Sotkanet, Statistics Finland' as source_en
from cells c
left join intermediate.int_service_use__county_cells d
  on d.county_org_id = c.county_org_id and d.month = c.month
 and d.specialty_code = c.specialty_code and d.service_type = c.service_type
left join intermediate.int_municipality__latest_names n on n.municipality_code = c.municipality_code
left join staging.seed_service_types st on st.service_type = c.service_type
left join staging.stg_config__organisations o on o.organisation_code = c.county_org_id
left join staging.stg_service_use__specialties s on s.specialty_code = c.specialty_code
left join (select municipality_level, municipality_code, year, population, population_year
           from intermediate.int_service_use__area_population
           union all
           select distinct 'county', county_org_id, year(month), population, population_year
           from intermediate.int_service_use__county_cells) p
  on p.municipality_level = c.municipality_level and p.municipality_code = c.municipality_code and p.year = year(c.month);
