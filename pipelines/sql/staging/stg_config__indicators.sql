-- The indicator registry (config/indicators.yaml) and targets (config/targets.yaml), validated by
-- pipelines/scorecard/registry.ts and targets.ts, replaced on every run of the `scorecard` job.
create or replace table staging.stg_config__indicators (
    indicator_id         varchar primary key,
    name_fi              varchar not null,
    name_sv              varchar not null,
    name_en              varchar not null,
    description          varchar not null,
    perspective          varchar not null,   -- customer / process / finance / competence / context
    level                varchar not null,   -- the first listed level
    levels               varchar not null,   -- every level, comma-separated
    is_strategic         boolean not null,
    is_implementation    boolean not null,
    is_operational       boolean not null,
    unit                 varchar not null,
    decimals             integer not null,
    numerator_measure    varchar not null,   -- formula.measure or formula.numerator
    denominator_measure  varchar,
    factor               double not null,
    formula_text         varchar not null,
    polarity             varchar not null,
    period_type          varchar not null,
    org_types            varchar[] not null,
    source               varchar not null,
    attribution          varchar not null,
    owner                varchar not null,
    trend_periods        integer not null,
    trend_flat_pct       double not null,
    tl_mode              varchar not null,
    tl_yellow            double not null,
    weight               double not null,
    expected_from        date not null,
    expected_to          date,
    allowed_min          double,
    allowed_max          double,
    is_demo              boolean not null,
    note                 varchar,
    sort_order           integer not null,
    registry_file        varchar not null,
    series_end           date          -- the last period of a series that has ended (quality.series_end)
);
