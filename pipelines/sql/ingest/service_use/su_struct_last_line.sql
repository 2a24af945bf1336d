-- DuckDB drops a last line without a line break silently when it is longer than its maximum line size: that line as
-- one more structural reject of temp.su_struct (its number follows every line read, after temp.su_checked; $bytes, $max_bytes from the
-- file inspection). Run only for such a file.
insert into temp.su_struct
with lines as (
    select (select coalesce(sum(source_rows), 0) from temp.su_checked)
           + (select count(*) + coalesce(sum(swallowed), 0) from temp.su_struct) + 2 as line)
select line, null,
       'LINE SIZE OVER MAXIMUM: the last line (no line break at its end) has ' || $bytes || ' bytes, more than ' || $max_bytes || ': not read',
       null, 0, line
from lines;
