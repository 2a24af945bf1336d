create or replace table staging.stg_config__rate_assumptions (
    rate_assumption  varchar not null,
    label_fi         varchar not null,
    service_type     varchar not null,
    annual_change    double not null
);
