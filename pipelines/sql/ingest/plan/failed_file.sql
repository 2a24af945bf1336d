-- Whether this failed file ($hash: its failed-file key) was quarantined before (a query, no table): n > 0.
select count(*) as n from ops.plan_loads where file_hash = $hash and status = 'failed';
