-- The implementation page's dropdown options: each organiser, specialty, service type and year of
-- marts.service_use_yearly (a couple of thousand rows). The dropdowns rebuild their options in the browser once the
-- engine runs, and would otherwise load the whole yearly table for them.
select distinct year, county_org_id, county_name_fi, specialty_code, specialty_name_fi, service_type, service_type_fi
from marts.service_use_yearly
where municipality_level = 'county'
order by year, county_org_id, specialty_code, service_type
