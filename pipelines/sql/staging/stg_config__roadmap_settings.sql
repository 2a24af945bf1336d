-- The roadmap in staging (pipelines/roadmap/load.ts writes them from config/roadmap.yaml, validated; docs/roadmap.md).
-- A few dozen rows: configuration, not data. `create ... if not exists` so that the marts job finds (empty) tables
-- on a warehouse where the roadmap job has not run yet; the roadmap job empties and refills them.
create table if not exists staging.stg_config__roadmap_settings (
    status_as_of  date not null,      -- the date the milestone statuses describe
    is_example    boolean not null,   -- the shipped demo content
    source_file   varchar not null
);
