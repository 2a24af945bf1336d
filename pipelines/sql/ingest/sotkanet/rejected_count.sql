-- The Sotkanet data lines this run rejected (a query, no table): distinct file and line in ops.rejected_rows.
select count(*) as n from (select distinct source_file, line from ops.rejected_rows where run_id = $run_id and source = 'sotkanet_data');
