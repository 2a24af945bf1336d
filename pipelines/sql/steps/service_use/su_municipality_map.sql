-- temp.su_municipality_map: each municipality code of the service-use data with its code on the boundaries of
-- $boundary_year (marts.municipality_harmonisation); a code of the data that the map does not know stays as it is.
create or replace temp table su_municipality_map as
select municipality_code, min(harmonised_code) as harmonised_code
from marts.municipality_harmonisation where boundary_year = $boundary_year
group by municipality_code;

insert into temp.su_municipality_map
select distinct municipality_code, municipality_code from staging.stg_service_use__monthly
where municipality_code not in (select municipality_code from temp.su_municipality_map);
