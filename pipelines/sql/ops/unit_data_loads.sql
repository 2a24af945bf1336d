-- ops.unit_data_loads: one row per imported unit-data file (docs/scorecard.md); a file whose content hash is
-- already loaded is skipped.
create table if not exists ops.unit_data_loads (
    load_id        varchar primary key,
    run_id         varchar not null,
    source_file    varchar not null,
    file_hash      varchar not null,           -- sha256 of the file's bytes; an already loaded hash is skipped
    file_bytes     bigint not null,
    period_start   date,
    period_end     date,
    rows_read      bigint not null,
    rows_loaded    bigint not null,
    rows_rejected  bigint not null,
    rows_replaced  bigint not null default 0,  -- unit-months an earlier file had delivered
    status         varchar not null,           -- loaded / failed
    message        varchar,
    loaded_at      timestamptz not null default current_timestamp
);
