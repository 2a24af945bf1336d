-- intermediate.int_service_use__county_cells without the organisation model (a service-use run on its own): no
-- organisers' totals.
create or replace table intermediate.int_service_use__county_cells (month date, county_org_id varchar,
    county_name_fi varchar, specialty_code varchar, service_type varchar, visits bigint, care_periods bigint,
    bed_days bigint, patients bigint, cost_eur double, suppressed boolean, care_withheld boolean, suppression varchar,
    population bigint, population_year integer);
