-- A service-agreement file's good lines (temp.plan_good) replace the whole periods (organiser × year) they deliver in
-- staging.stg_plan__agreements: a corrected file (a new version) replaces what the previous one delivered.
delete from staging.stg_plan__agreements where (organiser, year) in (select (organiser, cast(year as integer)) from temp.plan_good);

insert into staging.stg_plan__agreements
select organiser, cast(year as integer), month, coalesce(municipality_norm, organiser), specialty_norm, service_type_norm,
       visits, care_periods, bed_days, cost_eur, version_norm, $file, source_line, $load_id, current_timestamp
from temp.plan_good;
