-- The counts of one service-use extract (a query, no table): rows read (good and bad groups' source rows, the lines
-- DuckDB rejected and the lines an unterminated quote ran over), rows of bad groups, structural rejects, and the
-- first and last month loaded.
select coalesce(sum(source_rows), 0) + (select count(*) + coalesce(sum(swallowed), 0) from temp.su_struct) as read,
       coalesce(sum(source_rows) filter (where bad_column is not null), 0) as bad,
       (select count(*) + coalesce(sum(swallowed), 0) from temp.su_struct) as structural,
       min(month) filter (where bad_column is null) as first,
       max(month) filter (where bad_column is null) as last
from temp.su_checked;
