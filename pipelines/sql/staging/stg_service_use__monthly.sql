-- Service use per month × home municipality × specialty × service type, one row per key and load, unsuppressed.
-- Written by the service-use import (pipelines/service-use/import.ts); not published: marts read it.
create table if not exists staging.stg_service_use__monthly (
    month              date not null,          -- first day of the month
    municipality_code  varchar not null,       -- Statistics Finland code, valid in the key of that year
    specialty_code     varchar not null,       -- config/specialties.csv
    service_type       varchar not null,       -- outpatient_visit / inpatient_period / day_surgery / other
    visits             bigint not null,
    care_periods       bigint not null,
    bed_days           bigint not null,
    patients           bigint,                 -- NULL when the extract has no patient counts
    cost_eur           decimal(18,2),
    source_rows        bigint not null,        -- input rows (extract rows or events) behind this row
    source_name        varchar not null,
    source_file        varchar not null,
    load_id            varchar not null
);
