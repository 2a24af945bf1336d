-- ops.commentary_loads: the commentary files' loads (docs/commentary.md), a view of ops.file_loads with the columns
-- of the table it replaced.
create or replace view ops.commentary_loads as
select load_id, run_id, source_file, file_hash, file_bytes, rows_read, rows_loaded, rows_rejected, status, message, loaded_at
from ops.file_loads where source = 'commentary';
