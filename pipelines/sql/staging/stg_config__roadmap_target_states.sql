create table if not exists staging.stg_config__roadmap_target_states (
    org_id                varchar not null,
    quadrant_en           varchar not null,
    target_welfare_score  double not null,
    target_cost_score     double not null,
    target_year           integer not null
);
