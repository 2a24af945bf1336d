create table if not exists ops.plan_loads (
    load_id        varchar primary key,
    run_id         varchar not null,
    source         varchar not null,      -- plan_agreements / plan_budgets
    source_file    varchar not null,
    file_hash      varchar not null,      -- sha256 of the file's bytes; an already loaded hash is skipped
    file_bytes     bigint not null,
    periods        varchar,               -- the periods the file replaced, e.g. "kainuun-hyvinvointialue 2025 v2"
    rows_read      bigint not null,
    rows_loaded    bigint not null,
    rows_rejected  bigint not null,
    rows_replaced  bigint not null default 0,
    status         varchar not null,      -- loaded / failed
    message        varchar,
    loaded_at      timestamptz not null default current_timestamp
);
