-- staging.stg_config__units: the units of config/organisation.yaml (validated by pipelines/regions/organisation.ts),
-- replaced on every run of the `organisation` job (pipelines/jobs/organisation.ts).
create or replace table staging.stg_config__units (
    unit_code           varchar not null,
    name_fi             varchar not null,
    service_area_code   varchar not null,
    municipality_code   varchar,
    valid_from          date,
    valid_to            date,
    note                varchar
);
