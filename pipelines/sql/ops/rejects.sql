-- ops.rejects: the rejected rows as the data staff read them.
create or replace view ops.rejects as
select source, source_file, line, column_name, reason, raw_value, run_id, rejected_at
from ops.rejected_rows;
