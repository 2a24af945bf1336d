-- The last month with data of each organiser and year (the cube's, whatever the cell).
create or replace table intermediate.int_plan__data_months as
select county_org_id as organiser, year, cast(max(month(month)) as integer) as months_with_data
from marts.service_use_summary where municipality_level = 'county' group by all;
