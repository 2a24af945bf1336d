-- A budget file's good lines (temp.plan_good) replace the whole periods (organisation × year) they deliver in
-- staging.stg_plan__budgets: a corrected file (a new version) replaces what the previous one delivered.
delete from staging.stg_plan__budgets where (organisation_code, year) in (select (organisation, cast(year as integer)) from temp.plan_good);

insert into staging.stg_plan__budgets
select organisation, cast(year as integer), month, account_group_norm, euros, version_norm, $file, source_line, $load_id, current_timestamp
from temp.plan_good;
