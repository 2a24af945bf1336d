-- marts.data_status_runs: the latest runs of every job for the data status page (as of the last refresh: the marts
-- are rebuilt inside a refresh, so the run that rebuilds them shows as still running). No row-level data.
create or replace table marts.data_status_runs as
with ranked as (
    select *, row_number() over (partition by job order by started_at desc) as recency
    from ops.run_history
)
select
    job,
    recency,
    run_id,
    batch_id,
    trigger,
    attempt,
    outcome,
    case outcome
        when 'success' then 'onnistui' when 'failed' then 'epäonnistui' when 'skipped' then 'ohitettu'
        when 'timed_out' then 'aikakatkaistu' when 'interrupted' then 'keskeytyi' when 'retried' then 'uusittu'
        when 'running' then 'käynnissä' else outcome end                 as outcome_fi,
    started_at,
    finished_at,
    strftime(started_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M')   as started_at_fi,
    strftime(finished_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M')  as finished_at_fi,
    round(duration_ms / 1000.0, 1)                                       as duration_s,
    duration_ms,
    rows_read,
    rows_loaded,
    rows_rejected,
    message
from ranked
where recency <= 20
order by job, recency;
