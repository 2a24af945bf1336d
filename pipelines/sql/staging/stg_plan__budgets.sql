create table if not exists staging.stg_plan__budgets (
    organisation_code  varchar not null,   -- an organisation or a service area (config/organisation.yaml)
    year               integer not null,
    month              integer,            -- 1-12 when the file gives the phasing; NULL = a year, phased in the marts
    account_group      varchar not null,   -- lower case, e.g. erikoissairaanhoito, henkilöstömenot
    euros              double not null,
    version            integer not null,
    source_file        varchar not null,
    source_line        bigint not null,
    load_id            varchar not null,
    loaded_at          timestamptz not null
);
