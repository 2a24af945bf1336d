-- Whether this failed extract ($hash: its failed-file key) was quarantined before (a query, no table): n > 0.
select count(*) as n from ops.service_use_loads where file_hash = $hash and status = 'failed';
