-- The latest year of the Statistics Finland municipality key (a query, no table): the boundary year when there is no
-- harmonisation mart.
select max(last_year) as y from intermediate.int_municipality__latest_names;
