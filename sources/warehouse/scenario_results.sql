-- Scenario results against the baseline per year and municipality of the pilot area.
select * from marts.scenario_results
