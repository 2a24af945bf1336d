-- name_sv, name_en (config/roadmap.yaml; the Finnish name without them) are added last by pipelines/roadmap/load.ts.
create table if not exists staging.stg_config__roadmap_milestones (
    initiative_id  varchar not null,
    milestone_no   integer not null,  -- 1, 2, … in the file's order
    name_fi        varchar not null,
    due_date       date not null,
    status         varchar not null   -- valmis / käynnissä / aloittamatta
);
