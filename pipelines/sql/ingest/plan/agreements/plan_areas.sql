-- temp.plan_areas: the areas of the organisation model an agreement line may name instead of a municipality
-- (docs/plan.md), with the years they are valid.
create or replace temp table plan_areas as
select organisation_code, year(valid_from) as first_year, coalesce(year(valid_to), 9999) as last_year
from staging.stg_config__organisations where organisation_type in ('collaboration_area', 'sub_area');
