-- One row: the year range of the per-year region tables and the harmonisation boundary year
-- ($boundary_year, NULL = the latest year of the municipality key).
create or replace table staging.region_settings as
select
    cast($first_year as integer)                                       as first_year,
    max(year)                                                          as last_key_year,
    min(year)                                                          as first_key_year,
    cast(coalesce(cast($boundary_year as integer), max(year)) as integer) as boundary_year
from staging.stg_statfi__municipality_years;
