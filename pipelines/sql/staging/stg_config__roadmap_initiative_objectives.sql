create table if not exists staging.stg_config__roadmap_initiative_objectives (
    initiative_id  varchar not null,
    objective_id   varchar not null
);
