create or replace table staging.stg_config__perspective_weights (perspective varchar primary key, weight double not null);
