-- name_sv, name_en (config/roadmap.yaml; the Finnish name without them) are added last by pipelines/roadmap/load.ts.
create table if not exists staging.stg_config__roadmap_initiatives (
    org_id          varchar not null,
    initiative_id   varchar not null,
    name_fi         varchar not null,
    owner           varchar not null,
    start_date      date not null,
    end_date        date not null,
    sort            integer not null
);
