-- marts.municipality_harmonisation: PUBLIC CONTRACT for harmonised marts. Every municipality code ever known
-- (municipality_code) with its code on the boundaries of boundary_year (harmonised_code). One boundary year:
-- `regions.boundary_year` in config/pipeline.yaml, default the latest municipality key year.
-- Join: series.municipality_code = municipality_harmonisation.municipality_code, then group by harmonised_code
-- and sum counts; recompute rates from the summed counts and denominators, never average rates.
create or replace table marts.municipality_harmonisation as
select municipality_code, harmonised_code, boundary_year, municipality_name_fi, harmonised_name_fi, is_merged,
       municipality_name_sv, municipality_name_en, harmonised_name_sv, harmonised_name_en
from marts.municipality_code_map
where boundary_year = (select boundary_year from staging.region_settings)
order by municipality_code;
