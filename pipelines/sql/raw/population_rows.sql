-- Raw population-by-age rows as the PxWeb parsers (pipelines/population/pxweb.ts) return them, and the parsers'
-- cell problems. Replaced at every run of the population job: every configured source is read every time.
create or replace table raw.population_rows (
    source_name     varchar not null,
    kind            varchar not null,        -- history / projection
    variant         varchar not null,        -- the file's variant dimension, else the source's configured variant
    source_file     varchar not null,        -- path or URL
    position_kind   varchar not null,        -- line (CSV) / value_index (JSON-stat2)
    municipality    varchar not null,        -- a 3-digit code or a name, as found
    year            integer not null,
    age_group       varchar not null,        -- canonical: 0-4 … 80-84, 85+
    population      double not null,
    position        bigint not null          -- first line / value index summed into the row
);
