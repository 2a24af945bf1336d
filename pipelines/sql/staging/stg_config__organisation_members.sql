-- staging.stg_config__organisation_members: each organisation's member municipalities of config/organisation.yaml (validated by pipelines/regions/organisation.ts),
-- replaced on every run of the `organisation` job (pipelines/jobs/organisation.ts).
create or replace table staging.stg_config__organisation_members (
    organisation_code   varchar not null,
    municipality_code   varchar not null,
    name_fi             varchar,
    valid_from          date not null,
    valid_to            date,
    note                varchar
);
