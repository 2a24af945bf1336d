-- Raw Sotkanet tables, kept between runs: conditional refresh replaces one indicator's rows at a time, so
-- indicators whose `data-updated` has not changed keep the rows loaded earlier.
create table if not exists raw.sotkanet_regions (
    id              bigint,
    code            varchar,
    category        varchar,
    title_fi        varchar,
    title_sv        varchar,
    title_en        varchar,
    member_of       bigint[],
    uri             varchar,
    source_file     varchar,
    loaded_at       timestamptz
);
