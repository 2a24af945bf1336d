-- The counts of one unit-data file (a query, no table): lines rejected, and the first and last month of its good
-- lines (a line with any problem in temp.ud_problems is rejected whole).
with good as (select month from temp.ud_typed where source_line not in (select source_line from temp.ud_problems))
select (select count(distinct source_line) from temp.ud_problems) as rejected,
       (select min(month) from good) as first, (select max(month) from good) as last;
