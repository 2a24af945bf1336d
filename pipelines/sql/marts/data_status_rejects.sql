-- marts.data_status_rejects: rejected input rows per source, file and reason, as counts only (never the rejected
-- values themselves: they may be patient-level data).
create or replace table marts.data_status_rejects as
select
    source,
    regexp_extract(source_file, '[^/\\]+$')         as file_name,
    coalesce(column_name, '(koko tiedosto)')       as column_name,   -- a whole file quarantined (header, format)
    reason,
    cast(count(*) as bigint)                        as rejected_rows,
    min(line)                                       as first_line,
    max(rejected_at)                                as last_rejected_at,
    strftime(max(rejected_at) at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M') as last_rejected_at_fi,
    strftime(max(rejected_at) at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M') as last_rejected_at_sv,
    strftime(max(rejected_at) at time zone 'Europe/Helsinki', '%-d/%-m/%Y %H:%M') as last_rejected_at_en
from ops.rejected_rows
group by all
order by last_rejected_at desc, source, file_name, rejected_rows desc;
