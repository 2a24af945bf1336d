-- Service use for the implementation page: the published (small-number protected) cube, municipalities and their
-- organisers' (wellbeing services counties') totals.
select month, year, municipality_level, municipality_code, municipality_name_fi, county_org_id, county_name_fi,
       specialty_code, specialty_name_fi, service_type, service_type_fi, visits, care_periods, bed_days, patients,
       cost_eur, is_suppressed, visits_per_1000, care_periods_per_1000, bed_days_per_1000, cost_eur_per_resident,
       visits_share_of_district, cost_eur_share_of_district, population, population_year, source
from marts.service_use_summary
where municipality_level in ('municipality', 'county')
