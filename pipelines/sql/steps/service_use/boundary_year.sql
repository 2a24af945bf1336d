-- The boundary year of the harmonised service-use mart (a query, no table): $year (service_use.boundary_year), else
-- the latest year of marts.municipality_harmonisation.
select coalesce(cast($year as integer), max(boundary_year)) as y from marts.municipality_harmonisation;
