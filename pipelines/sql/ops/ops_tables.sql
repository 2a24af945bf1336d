-- Operational tables: one row per job run, and every rejected input row with its reason.
create table if not exists ops.runs (
    run_id        varchar primary key,
    job           varchar not null,
    trigger       varchar not null,            -- manual / schedule / dependency
    started_at    timestamptz not null,
    finished_at   timestamptz,
    outcome       varchar not null,            -- running / success / failed / skipped
    rows_read     bigint,
    rows_loaded   bigint,
    rows_rejected bigint,
    message       varchar
);

create table if not exists ops.rejected_rows (
    run_id      varchar not null,
    source      varchar not null,              -- e.g. statfi_municipality_key
    source_file varchar not null,
    line        bigint,                        -- 1-based line in the file, header = line 1
    column_name varchar,
    reason      varchar not null,
    raw_value   varchar,
    rejected_at timestamptz not null default current_timestamp
);

create or replace view ops.rejects as
select source, source_file, line, column_name, reason, raw_value, run_id, rejected_at
from ops.rejected_rows;
