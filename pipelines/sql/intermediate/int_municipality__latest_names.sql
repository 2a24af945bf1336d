-- intermediate.int_municipality__latest_names: one row per municipality code of the Statistics Finland key, with its
-- latest name in Finnish, Swedish and English (each the name of the latest key year that has one) and the first and
-- last key year that lists the code. The one place the "latest municipality name" is written: every model that names
-- a municipality by its code reads it here.
create or replace table intermediate.int_municipality__latest_names as
select
    municipality_code,
    arg_max(name_fi, year) as name_fi,
    arg_max(name_sv, year) as name_sv,
    arg_max(name_en, year) as name_en,
    min(year)              as first_year,
    max(year)              as last_year
from staging.stg_statfi__municipality_years
group by municipality_code;
