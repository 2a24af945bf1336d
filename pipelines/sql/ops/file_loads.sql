-- ops.file_loads: one row per imported file of the drop folders (source 'commentary', docs/commentary.md; 'unit_data',
-- docs/scorecard.md, both through pipelines/ingest/loads.ts; 'plan_agreements' / 'plan_budgets', docs/plan.md); a
-- file whose content hash is already loaded for its source is skipped. (Service-use extracts keep their own table,
-- ops.service_use_loads: formats, supersession, header findings.) Warehouses made before this table had
-- ops.commentary_loads, ops.unit_data_loads and ops.plan_loads tables: opening one moves their rows here
-- (pipelines/warehouse.ts, migrateFileLoads), and the names stay as views of their sources
-- (ops/commentary_loads.sql, unit_data_loads.sql, plan_loads.sql).
create table if not exists ops.file_loads (
    load_id        varchar primary key,
    run_id         varchar not null,
    source         varchar not null,           -- commentary / unit_data / plan_agreements / plan_budgets
    source_file    varchar not null,
    file_hash      varchar not null,           -- sha256 of the file's bytes; an already loaded hash is skipped
    file_bytes     bigint not null,
    period_start   date,                       -- unit data: first and last month of the loaded rows
    period_end     date,
    periods        varchar,                    -- plan: the periods the file replaced, "kainuun-hyvinvointialue 2025 v2"
    rows_read      bigint not null,
    rows_loaded    bigint not null,
    rows_rejected  bigint not null,
    rows_replaced  bigint not null default 0,  -- unit data, plan: rows an earlier file had delivered
    status         varchar not null,           -- loaded / failed
    message        varchar,
    loaded_at      timestamptz not null default current_timestamp
);
