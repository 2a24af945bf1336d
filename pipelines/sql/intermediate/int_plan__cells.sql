-- Actuals and the year-end forecast of every planned cell (docs/plan.md, "Forecast"), from the PUBLISHED
-- marts.service_use_summary only: a withheld month stays unknown here too, so nothing computed from it can reveal it.
-- A cell: organiser × area (a municipality, or the organiser's own code for its whole area) × specialty (or 'ALL') ×
-- service type (or 'ALL') × year × measure; the planned cells are those of the agreements and the organiser's total
-- euros of every organiser with a specialist-care budget line.
create or replace table intermediate.int_plan__cells as
select distinct organiser, municipality_code, specialty_code, service_type, year
from staging.stg_plan__agreements
union
select distinct coalesce(o.organisation_code, a.organisation_code), coalesce(o.organisation_code, a.organisation_code), 'ALL', 'ALL', b.year
from staging.stg_plan__budgets b
left join staging.stg_config__organisations o on o.organisation_code = b.organisation_code
left join staging.stg_config__service_areas a on a.service_area_code = b.organisation_code
where b.account_group = 'erikoissairaanhoito';
