-- One row per run with its duration, newest first: what the data status page and `pipeline status` show.
create or replace view ops.run_history as
select run_id, batch_id, job, trigger, attempt, outcome, started_at, finished_at,
       cast(date_diff('millisecond', started_at, finished_at) as bigint) as duration_ms,
       rows_read, rows_loaded, rows_rejected, message, host, pid
from ops.runs
order by started_at desc;
