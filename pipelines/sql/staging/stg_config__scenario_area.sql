create or replace table staging.stg_config__scenario_area (
    area_code          varchar not null,
    area_name_fi       varchar not null,
    municipality_code  varchar not null
);
