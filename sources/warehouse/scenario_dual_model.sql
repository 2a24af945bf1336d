select * from marts.scenario_dual_model
