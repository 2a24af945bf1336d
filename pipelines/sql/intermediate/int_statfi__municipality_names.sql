-- intermediate.int_statfi__municipality_names: each municipality code's latest name (Finnish, Swedish, English) in
-- the Statistics Finland key: the name pages show for a municipality, also one merged away since.
create or replace table intermediate.int_statfi__municipality_names as
select municipality_code,
       arg_max(name_fi, year) as name_fi,
       arg_max(name_sv, year) as name_sv,
       arg_max(name_en, year) as name_en
from staging.stg_statfi__municipality_years
group by municipality_code;
