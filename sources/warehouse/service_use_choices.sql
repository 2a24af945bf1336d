-- The implementation page's dropdown options: each organiser, specialty, service type and year of
-- marts.service_use_yearly (a couple of thousand rows). The dropdowns rebuild their options in the browser once the
-- engine runs, and would otherwise load the whole yearly table for them.
select distinct year, county_org_id, county_name_fi, specialty_code, specialty_name_fi, service_type, service_type_fi,
       county_name_sv, county_name_en, specialty_name_sv, specialty_name_en, service_type_sv, service_type_en
from marts.service_use_yearly
where municipality_level = 'county'
order by year, county_org_id, specialty_code, service_type
