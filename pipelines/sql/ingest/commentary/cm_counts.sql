-- The counts of one commentary file (a query, no table): lines rejected (a line with any problem is rejected whole).
select count(distinct source_line) as rejected from temp.cm_problems;
