-- ops.runs: one row per job run (and publish, site build), with its outcome and counts.
create table if not exists ops.runs (
    run_id        varchar primary key,
    job           varchar not null,
    trigger       varchar not null,            -- manual / schedule / dependency
    started_at    timestamptz not null,
    finished_at   timestamptz,
    outcome       varchar not null,            -- running / success / failed / retried / timed_out / interrupted / skipped
    rows_read     bigint,
    rows_loaded   bigint,
    rows_rejected bigint,
    message       varchar
);
-- Added for scheduled operation (docs/operations.md, "Run history"); existing warehouses get the columns here.
alter table ops.runs add column if not exists attempt integer default 1;       -- 1 = first try; retries count up
alter table ops.runs add column if not exists batch_id varchar;                -- one trigger = one batch (jobs + publish + site)
alter table ops.runs add column if not exists host varchar;                    -- machine and process that ran it
alter table ops.runs add column if not exists pid integer;
alter table ops.runs add column if not exists timeout_ms bigint;               -- the limit the attempt ran under
