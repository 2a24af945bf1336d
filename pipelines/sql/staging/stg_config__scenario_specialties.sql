create or replace table staging.stg_config__scenario_specialties (
    scenario_code   varchar not null,
    specialty_code  varchar not null,
    moves           boolean not null,   -- outpatient visits of this specialty move
    bed_days        boolean not null    -- bed days of this specialty change
);
