-- The first line id of the area and year totals' lines in the disclosure step (a query, no table): after the cube's.
select cast(coalesce(max(line_id), 0) + 1 as double) as n from temp.int_service_use__suppression_lines;
