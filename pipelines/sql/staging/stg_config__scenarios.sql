create or replace table staging.stg_config__scenarios (
    scenario_code              varchar not null,
    name_fi                    varchar not null,
    description_fi             varchar not null,
    sort_order                 integer not null,   -- 0 = the baseline (nykymalli)
    start_year                 integer not null,
    ramp_years                 integer not null,
    fixed_cost_eur             double not null,
    hospital_unit_cost_change  double not null,
    move_share                 double not null,
    move_unit_cost_eur         double,              -- NULL = the hospital's own unit cost
    bed_day_change             double not null,
    cost_per_bed_day_eur       double not null,
    -- Swedish and English (config/scenarios.yaml name_sv/_en, description_sv/_en; the Finnish text without them)
    name_sv                    varchar not null,
    name_en                    varchar not null,
    description_sv             varchar not null,
    description_en             varchar not null
);
