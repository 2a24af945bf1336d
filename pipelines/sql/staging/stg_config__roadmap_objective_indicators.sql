create table if not exists staging.stg_config__roadmap_objective_indicators (
    objective_id   varchar not null,
    indicator_id   varchar not null,
    sort           integer not null
);
