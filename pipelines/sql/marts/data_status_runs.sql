-- marts.data_status_runs: the latest runs of every job for the data status page. A view over ops.run_history, not a
-- table: the marts are built inside the marts job, so a table would publish that job's own row as still running
-- ('käynnissä' on /tila forever); the view is read when the site is built from the published copy, after the
-- refresh's runs have ended, and again after every refresh (the run history is copied into the published state).
-- No row-level data: messages carry reasons and locations only (pipelines/safe-text.ts).
create or replace view marts.data_status_runs as
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
    coalesce(word('run_outcome', outcome, 'sv'), outcome)                as outcome_sv,
    coalesce(word('run_outcome', outcome, 'en'), outcome)                as outcome_en,
    started_at,
    finished_at,
    strftime(started_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M')   as started_at_fi,
    strftime(finished_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M')  as finished_at_fi,
    -- Swedish writes dates as Finnish does; English day/month/year
    strftime(started_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M')   as started_at_sv,
    strftime(finished_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M')  as finished_at_sv,
    strftime(started_at at time zone 'Europe/Helsinki', '%-d/%-m/%Y %H:%M')   as started_at_en,
    strftime(finished_at at time zone 'Europe/Helsinki', '%-d/%-m/%Y %H:%M')  as finished_at_en,
    round(duration_ms / 1000.0, 1)                                       as duration_s,
    duration_ms,
    rows_read,
    rows_loaded,
    rows_rejected,
    message
from ranked
where recency <= 20
order by job, recency;
