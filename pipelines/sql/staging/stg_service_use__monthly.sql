-- Service use per month × home municipality × specialty × service type × age group, one row per key and load,
-- unsuppressed. Written by the service-use import (pipelines/service-use/import.ts); not published: marts read it.
-- age_group is the last column so that a warehouse made before it gets the same table by the alter below.
create table if not exists staging.stg_service_use__monthly (
    month              date not null,          -- first day of the month
    municipality_code  varchar not null,       -- Statistics Finland code, valid in the key of that year
    specialty_code     varchar not null,       -- config/specialties.csv
    service_type       varchar not null,       -- outpatient_visit / inpatient_period / day_surgery / other
    visits             bigint,                 -- NULL (unknown) when the extract has no such column, never 0
    care_periods       bigint,
    bed_days           bigint,
    patients           bigint,                 -- NULL when the extract has no patient counts
    cost_eur           decimal(18,2),
    source_rows        bigint not null,        -- input rows (extract rows or events) behind this row
    source_name        varchar not null,
    source_file        varchar not null,
    load_id            varchar not null,
    age_group          varchar                 -- '0-4' ... '80-84', '85+'; NULL when the extract has no age (or the cell is empty)
);
-- Warehouses made before the age column: upgraded in place, existing rows get NULL (age unknown).
alter table staging.stg_service_use__monthly add column if not exists age_group varchar;
-- Warehouses made when an absent count column loaded as 0: the counts become nullable (unknown), old rows unchanged.
alter table staging.stg_service_use__monthly alter column visits drop not null;
alter table staging.stg_service_use__monthly alter column care_periods drop not null;
alter table staging.stg_service_use__monthly alter column bed_days drop not null;
