-- Commentary (docs/commentary.md): every accepted comment row of every imported file, kept as history. The newest
-- row per key (subject, organisation, period, kind, author role) is what marts.commentary shows.
create table if not exists staging.stg_commentary__comments (
    subject_type   varchar not null,   -- indicator / objective
    subject_id     varchar not null,   -- a registry indicator id (config/indicators.yaml) or an objective id
    org_id         varchar not null,   -- an organisation, service area or unit code of config/organisation.yaml, or kunta-<code>
    period         varchar not null,   -- YYYY or YYYY-MM as written
    period_type    varchar not null,   -- year / month
    period_start   date not null,
    kind           varchar not null,   -- analyysi / johtopäätös / kehittämishaaste / toimenpide
    author_role    varchar not null,
    comment_text   varchar not null,
    comment_date   date not null,
    source_file    varchar not null,
    source_line    bigint not null,
    load_id        varchar not null,
    loaded_at      timestamptz not null
);
