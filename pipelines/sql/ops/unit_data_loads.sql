-- ops.unit_data_loads: the unit-data files' loads (docs/scorecard.md), a view of ops.file_loads with the columns of
-- the table it replaced.
create or replace view ops.unit_data_loads as
select * exclude (source, periods) from ops.file_loads where source = 'unit_data';
