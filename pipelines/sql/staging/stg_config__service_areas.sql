-- staging.stg_config__service_areas: the service areas of config/organisation.yaml (validated by pipelines/regions/organisation.ts),
-- replaced on every run of the `organisation` job (pipelines/jobs/organisation.ts).
create or replace table staging.stg_config__service_areas (
    service_area_code   varchar not null,
    name_fi             varchar not null,
    organisation_code   varchar not null,
    valid_from          date,
    valid_to            date,
    note                varchar
);
