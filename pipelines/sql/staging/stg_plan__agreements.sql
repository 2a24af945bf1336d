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
