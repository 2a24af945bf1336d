-- The operational settings per job from config/pipeline.yaml (`jobs:`), rewritten at every refresh, so that the
-- data status page can judge freshness without reading the YAML.
create table if not exists ops.job_settings (
    job                       varchar primary key,
    schedule                  varchar,         -- cron expression, null = only by hand / as a dependency
    timezone                  varchar,
    timeout_ms                bigint,
    retry_attempts            integer,
    freshness_warn_after_ms   bigint,          -- null = no freshness SLA
    freshness_error_after_ms  bigint,
    updated_at                timestamptz not null
);
