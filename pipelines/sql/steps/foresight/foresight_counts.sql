-- The counts of a foresight build (a query, no table): published rows of the foresight marts, projection cells and
-- the withheld ones.
select (select count(*) from marts.service_need_projection) + (select count(*) from marts.foresight_area_members)
     + (select count(*) from marts.foresight_age_structure) + (select count(*) from marts.foresight_settings)
     + (select count(*) from marts.scenario_definitions) + (select count(*) from marts.scenario_results) as rows,
       count(*) as cells, count(*) filter (where suppressed) as suppressed
from intermediate.int_foresight__cells;
