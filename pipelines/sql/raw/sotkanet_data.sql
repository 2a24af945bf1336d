-- One row per data row as received, every field as text. region_category/region_code are resolved from the
-- regions list at load time: Sotkanet ids of some regions have changed, category + code have not.
create table if not exists raw.sotkanet_data (
    indicator       varchar,
    region          varchar,
    year            varchar,
    gender          varchar,
    value           varchar,
    abs_value       varchar,
    indicator_id    integer,               -- the indicator of the file the row came from
    region_category varchar,
    region_code     varchar,
    source_file     varchar,
    source_line     bigint,                -- CSV: 1-based line (header = 1); JSON: 1-based element number
    run_id          varchar,
    loaded_at       timestamptz
);
