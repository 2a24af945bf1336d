-- The population settings of config/pipeline.yaml: the projection variant shown by default.
create or replace table staging.population_settings as
select cast($main_variant as varchar) as main_variant;
