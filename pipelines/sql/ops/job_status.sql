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
