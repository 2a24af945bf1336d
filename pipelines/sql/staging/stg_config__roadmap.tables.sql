-- The roadmap in staging (pipelines/roadmap/load.ts writes them from config/roadmap.yaml, validated; docs/roadmap.md).
-- A few dozen rows: configuration, not data. `create ... if not exists` so that the marts job finds (empty) tables
-- on a warehouse where the roadmap job has not run yet; the roadmap job empties and refills them.
create table if not exists staging.stg_config__roadmap_settings (
    status_as_of  date not null,      -- the date the milestone statuses describe
    is_example    boolean not null,   -- the shipped demo content
    source_file   varchar not null
);
create table if not exists staging.stg_config__roadmap_target_states (
    org_id                varchar not null,
    quadrant_en           varchar not null,
    target_welfare_score  double not null,
    target_cost_score     double not null,
    target_year           integer not null
);
create table if not exists staging.stg_config__roadmap_objectives (
    org_id         varchar not null,
    objective_id   varchar not null,
    perspective    varchar not null,
    name_fi        varchar not null,
    owner          varchar not null,
    sort           integer not null
);
create table if not exists staging.stg_config__roadmap_objective_indicators (
    objective_id   varchar not null,
    indicator_id   varchar not null,
    sort           integer not null
);
create table if not exists staging.stg_config__roadmap_initiatives (
    org_id          varchar not null,
    initiative_id   varchar not null,
    name_fi         varchar not null,
    owner           varchar not null,
    start_date      date not null,
    end_date        date not null,
    sort            integer not null
);
create table if not exists staging.stg_config__roadmap_initiative_objectives (
    initiative_id  varchar not null,
    objective_id   varchar not null
);
create table if not exists staging.stg_config__roadmap_milestones (
    initiative_id  varchar not null,
    milestone_no   integer not null,  -- 1, 2, … in the file's order
    name_fi        varchar not null,
    due_date       date not null,
    status         varchar not null   -- valmis / käynnissä / aloittamatta
);
