create or replace table staging.stg_config__national_rates (
    service_type    varchar not null,
    specialty_code  varchar not null,       -- '*' = the service type's default profile
    age_group       varchar not null,
    rate            double not null
);
