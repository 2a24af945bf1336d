create table if not exists staging.stg_config__roadmap_objectives (
    org_id         varchar not null,
    objective_id   varchar not null,
    perspective    varchar not null,
    name_fi        varchar not null,
    owner          varchar not null,
    sort           integer not null
);
