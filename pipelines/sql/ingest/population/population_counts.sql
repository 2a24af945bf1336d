-- The counts of a population import (a query, no table): staging rows loaded, and the rows this run rejected.
select (select count(*) from staging.stg_population__by_age) as loaded,
       (select count(*) from ops.rejected_rows where run_id = $run_id and source = 'population') as rejected;
