-- Service-use extracts: one row per imported file (docs/service-use.md). A file whose content hash is already
-- 'loaded' is skipped; a later file of the same source covering the same months replaces those months' rows.
create table if not exists ops.service_use_loads (
    load_id        varchar primary key,
    run_id         varchar not null,
    source_name    varchar not null,           -- the file name without version suffix, or --source-name
    source_file    varchar not null,           -- the path as given
    file_hash      varchar not null,           -- sha256 of the file's bytes
    file_bytes     bigint not null,
    file_format    varchar not null,           -- csv / xlsx (with encoding and compression)
    extract_kind   varchar,                    -- monthly / events
    period_start   date,                       -- first and last month of the loaded rows
    period_end     date,
    rows_read      bigint not null,
    rows_loaded    bigint not null,
    rows_rejected  bigint not null,
    status         varchar not null,           -- loaded / superseded / failed
    message        varchar,
    loaded_at      timestamptz not null default current_timestamp,
    superseded_by  varchar
);
-- Header columns no alias recognised (ignored), ' | '-separated, and those of them that look like a measure
-- (€, eur, kust, summa, lkm, määrä, käynn, jakso, päiv): marts.data_status_warnings shows these on /tila.
alter table ops.service_use_loads add column if not exists unrecognised_columns varchar;
alter table ops.service_use_loads add column if not exists measure_like_columns varchar;
