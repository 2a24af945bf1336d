-- Foresight configuration in staging (pipelines/foresight/load.ts writes them from config/pipeline.yaml `foresight:`,
-- config/national-use-rates.yaml and config/scenarios.yaml, validated). A few dozen rows: configuration, not data.
create or replace table staging.stg_config__foresight_settings (
    base_year             integer,        -- NULL = the latest year with 12 months of service use
    horizon               integer not null,
    age_profile           varchar not null, -- local / national
    main_rate_assumption  varchar not null,
    main_variant          varchar not null  -- the population projection variant of the central line
);
create or replace table staging.stg_config__rate_assumptions (
    rate_assumption  varchar not null,
    label_fi         varchar not null,
    service_type     varchar not null,
    annual_change    double not null
);
create or replace table staging.stg_config__national_rates (
    service_type    varchar not null,
    specialty_code  varchar not null,       -- '*' = the service type's default profile
    age_group       varchar not null,
    rate            double not null
);
create or replace table staging.stg_config__scenario_area (
    area_code          varchar not null,
    area_name_fi       varchar not null,
    municipality_code  varchar not null
);
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
    cost_per_bed_day_eur       double not null
);
create or replace table staging.stg_config__scenario_specialties (
    scenario_code   varchar not null,
    specialty_code  varchar not null,
    moves           boolean not null,   -- outpatient visits of this specialty move
    bed_days        boolean not null    -- bed days of this specialty change
);
create or replace table staging.stg_config__scenario_travel (
    scenario_code      varchar not null,
    municipality_code  varchar not null,
    hospital_class     varchar,
    hospital_cost_eur  double not null,   -- per visit to the hospital (0 when no travel costs are configured)
    local_class        varchar,
    local_cost_eur     double not null    -- per moved visit
);
