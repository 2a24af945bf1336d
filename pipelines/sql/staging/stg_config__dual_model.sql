create or replace table staging.stg_config__dual_model (component varchar not null, indicator_id varchar not null, weight double not null,
    need_adjusted boolean not null default true);
