-- Unit data (docs/scorecard.md, "Unit data"): the organisation's own monthly unit figures, one row per unit and month.
-- A later file's row for the same unit and month replaces the earlier one; ops.unit_data_loads records every file.
create table if not exists staging.stg_unit_data__monthly (
    unit_code              varchar not null,
    month                  date not null,       -- first day of the month
    staff_htv              double,              -- person-years (henkilötyövuodet) in the month
    sickness_absence_days  double,              -- calendar days
    overtime_hours         double,
    training_days          double,
    visits                 bigint,
    queue_length           bigint,              -- clients waiting at the end of the month
    waiting_median_days    double,
    feedback_score         double,              -- mean on the 1-5 scale
    feedback_respondents   bigint,
    source_file            varchar not null,
    source_line            bigint not null,
    load_id                varchar not null,
    loaded_at              timestamptz not null,
    primary key (unit_code, month)
);

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
