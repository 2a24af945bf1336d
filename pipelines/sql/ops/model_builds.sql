-- ops.model_builds: per model of the SQL graph (pipelines/models/build.ts), the fingerprint of its last build: its
-- code (SQL text, or a TypeScript step's SQL and source files and parameters) and the content of every table it
-- reads. `run marts` skips a model whose fingerprint is the same again (nothing upstream changed). Written in the
-- marts job's transaction, so a failed run leaves the fingerprints of the build that stands.
create table if not exists ops.model_builds (
    model        varchar primary key,   -- the node: its SQL file (marts/regions.sql) or step (step:service-use)
    fingerprint  varchar not null,      -- sha256 of code, parameters and the inputs' content hashes
    run_id       varchar,               -- the marts run that built it
    built_at     timestamptz not null,
    duration_ms  bigint
);
