-- The organising alternatives as configured (config/scenarios.yaml).
select * from marts.scenario_definitions
