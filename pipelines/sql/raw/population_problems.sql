create or replace table raw.population_problems (
    source_name     varchar not null,
    source_file     varchar not null,
    position_kind   varchar not null,
    position        bigint,
    field           varchar,
    raw_value       varchar,
    reason          varchar not null
);
