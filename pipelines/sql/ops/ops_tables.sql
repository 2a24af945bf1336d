-- Operational tables: one row per job run, and every rejected input row with its reason.
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

-- Every publish attempt: the data checks' verdict and, when they passed, the published copy Evidence reads.
create table if not exists ops.publishes (
    publish_id     varchar primary key,
    batch_id       varchar not null,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    outcome        varchar not null,           -- running / published / rejected (a check failed) / failed
    file           varchar,                    -- data/published/<timestamp>.duckdb
    checks_passed  integer,
    checks_failed  integer,
    message        varchar                     -- the failed checks, "; "-separated
);

-- One row per run with its duration, newest first: what the data status page and `pipeline status` show.
create or replace view ops.run_history as
select run_id, batch_id, job, trigger, attempt, outcome, started_at, finished_at,
       cast(date_diff('millisecond', started_at, finished_at) as bigint) as duration_ms,
       rows_read, rows_loaded, rows_rejected, message, host, pid
from ops.runs
order by started_at desc;

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

-- The operational settings per job from config/pipeline.yaml (`jobs:`), rewritten at every refresh, so that the
-- data status page can judge freshness without reading the YAML.
create table if not exists ops.job_settings (
    job                       varchar primary key,
    schedule                  varchar,         -- cron expression, null = only by hand / as a dependency
    timezone                  varchar,
    timeout_ms                bigint,
    retry_attempts            integer,
    freshness_warn_after_ms   bigint,          -- null = no freshness SLA
    freshness_error_after_ms  bigint,
    updated_at                timestamptz not null
);

-- One row per job (and publish, site): its last run, last success and freshness level at query time
-- (ok / warn / error / never; null without an SLA). What the data status page shows per source.
create or replace view ops.job_status as
with last_run as (
    select job, outcome, attempt, started_at, finished_at, message, trigger
    from ops.runs
    where outcome <> 'retried'
    qualify row_number() over (partition by job order by started_at desc) = 1
),
last_success as (
    select job, max(finished_at) as last_success_at from ops.runs where outcome = 'success' group by job
),
jobs as (
    select job from ops.job_settings union select job from last_run
)
select
    j.job,
    s.schedule,
    s.timezone,
    r.started_at                                      as last_started_at,
    r.finished_at                                     as last_finished_at,
    r.outcome                                         as last_outcome,
    r.attempt                                         as last_attempt,
    r.trigger                                         as last_trigger,
    r.message                                         as last_message,
    cast(date_diff('millisecond', r.started_at, r.finished_at) as bigint) as last_duration_ms,
    ls.last_success_at,
    round(date_diff('second', ls.last_success_at, now()) / 3600.0, 1) as hours_since_success,
    s.freshness_warn_after_ms,
    s.freshness_error_after_ms,
    case
        when s.freshness_warn_after_ms is null then null
        when ls.last_success_at is null then 'never'
        when date_diff('millisecond', ls.last_success_at, now()) > s.freshness_error_after_ms then 'error'
        when date_diff('millisecond', ls.last_success_at, now()) > s.freshness_warn_after_ms then 'warn'
        else 'ok'
    end                                               as freshness
from jobs j
left join ops.job_settings s on s.job = j.job
left join last_run r on r.job = j.job
left join last_success ls on ls.job = j.job
order by j.job;
