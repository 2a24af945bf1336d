-- Every publish attempt: the data checks' verdict and, when they passed, the published copy Evidence reads.
create table if not exists ops.publishes (
    publish_id     varchar primary key,
    batch_id       varchar not null,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    outcome        varchar not null,           -- running / published / rejected (a check failed) / failed
    file           varchar,                    -- data/published/<timestamp>.duckdb
    checks_passed  integer,
    checks_failed  integer,
    message        varchar                     -- the failed checks, "; "-separated
);
