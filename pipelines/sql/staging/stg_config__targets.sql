create or replace table staging.stg_config__targets (
    indicator_id  varchar not null,
    org_id        varchar,       -- one organisation (inherited by its members) …
    org_type      varchar,       -- … or every organisation of a type; both NULL = every organisation
    period_from   date,
    period_to     date,
    target_low    double not null,
    target_high   double not null,
    note          varchar,
    entry         integer not null
);
