-- The columns one unit-data file has (a query, no table): the optional measure columns it leaves out are added to
-- raw.unit_data_file as empty text (from the fixed list pipelines/unit-data/columns.ts), so the checks see them all.
select list(column_name) as names from duckdb_columns() where schema_name = 'raw' and table_name = 'unit_data_file';
