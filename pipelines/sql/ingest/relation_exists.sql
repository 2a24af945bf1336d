-- Whether a table or view $schema.$name exists (a query, no table): 1 or 0 in n.
select count(*) as n
from (select schema_name, table_name from duckdb_tables() union all select schema_name, view_name from duckdb_views())
where schema_name = $schema and table_name = $name;
