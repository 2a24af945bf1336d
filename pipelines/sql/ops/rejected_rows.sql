-- ops.rejected_rows: every rejected input row with its file, line, column and reason.
create table if not exists ops.rejected_rows (
    run_id      varchar not null,
    source      varchar not null,              -- e.g. statfi_municipality_key
    source_file varchar not null,
    line        bigint,                        -- 1-based line in the file, header = line 1
    column_name varchar,
    reason      varchar not null,
    raw_value   varchar,
    rejected_at timestamptz not null default current_timestamp
);
