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
