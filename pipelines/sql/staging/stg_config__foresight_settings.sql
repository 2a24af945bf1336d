-- Foresight configuration in staging (pipelines/foresight/load.ts writes them from config/pipeline.yaml `foresight:`,
-- config/national-use-rates.yaml and config/scenarios.yaml, validated). A few dozen rows: configuration, not data.
create or replace table staging.stg_config__foresight_settings (
    base_year             integer,        -- NULL = the latest year with 12 months of service use
    horizon               integer not null,
    age_profile           varchar not null, -- local / national
    main_rate_assumption  varchar not null,
    main_variant          varchar not null  -- the population projection variant of the central line
);
