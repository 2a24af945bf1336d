-- temp.su_municipality_map without marts.municipality_harmonisation (a service-use run before the region marts):
-- every municipality code of the data is its own harmonised code.
create or replace temp table su_municipality_map as
select distinct municipality_code, municipality_code as harmonised_code from staging.stg_service_use__monthly;
