create or replace table staging.stg_config__scenario_travel (
    scenario_code      varchar not null,
    municipality_code  varchar not null,
    hospital_class     varchar,
    hospital_cost_eur  double not null,   -- per visit to the hospital (0 when no travel costs are configured)
    local_class        varchar,
    local_cost_eur     double not null    -- per moved visit
);
