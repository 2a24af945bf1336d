-- The scenarios' specialty codes that the specialty code list does not have (a query, no table): a configuration error.
select scenario_code, specialty_code from staging.stg_config__scenario_specialties
where specialty_code not in (select specialty_code from staging.stg_service_use__specialties)
order by all;
