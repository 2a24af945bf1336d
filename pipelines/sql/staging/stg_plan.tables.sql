-- Plan sources (docs/plan.md): service agreements (palvelusopimus / tilaus) and budgets (talousarvio). Each holds
-- the current version of every period (organiser × year, organisation × year): a corrected file replaces its period.
create table if not exists staging.stg_plan__agreements (
    organiser          varchar not null,   -- the wellbeing services county that orders (organisation code)
    year               integer not null,
    month              integer,            -- 1-12, or NULL for a whole-year line (phased in the marts)
    municipality_code  varchar not null,   -- a home municipality, or the organiser's code for its whole area
    specialty_code     varchar not null,   -- a specialty code, or 'ALL'
    service_type       varchar not null,   -- a service type, or 'ALL'
    visits             double,
    care_periods       double,
    bed_days           double,
    cost_eur           double,
    version            integer not null,   -- the agreement's version
    source_file        varchar not null,
    source_line        bigint not null,
    load_id            varchar not null,
    loaded_at          timestamptz not null
);

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

create table if not exists ops.plan_loads (
    load_id        varchar primary key,
    run_id         varchar not null,
    source         varchar not null,      -- plan_agreements / plan_budgets
    source_file    varchar not null,
    file_hash      varchar not null,      -- sha256 of the file's bytes; an already loaded hash is skipped
    file_bytes     bigint not null,
    periods        varchar,               -- the periods the file replaced, e.g. "kainuun-hyvinvointialue 2025 v2"
    rows_read      bigint not null,
    rows_loaded    bigint not null,
    rows_rejected  bigint not null,
    rows_replaced  bigint not null default 0,
    status         varchar not null,      -- loaded / failed
    message        varchar,
    loaded_at      timestamptz not null default current_timestamp
);
