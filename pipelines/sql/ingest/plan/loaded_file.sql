-- Whether a plan file with this content ($hash) of this source is already loaded (a query, no table): n > 0.
select count(*) as n from ops.plan_loads where file_hash = $hash and source = $source and status = 'loaded';
