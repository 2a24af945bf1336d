-- staging.stg_config__organisations: the organisations of config/organisation.yaml (validated by pipelines/regions/organisation.ts),
-- replaced on every run of the `organisation` job (pipelines/jobs/organisation.ts).
create or replace table staging.stg_config__organisations (
    organisation_code   varchar not null,
    organisation_type   varchar not null,   -- wellbeing_county / collaboration_area / sub_area / service_area / other
    name_fi             varchar not null,
    name_sv             varchar,
    name_en             varchar,
    parent_code         varchar,
    host_municipality   varchar,
    valid_from          date not null,
    valid_to            date,               -- inclusive; NULL = still valid
    region_category     varchar,            -- members = this official region's municipalities each year
    region_code         varchar,
    note                varchar,
    source_file         varchar not null
);
