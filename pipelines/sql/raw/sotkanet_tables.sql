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

create table if not exists raw.sotkanet_indicators (
    indicator_id    integer,
    title_fi        varchar,
    title_sv        varchar,
    title_en        varchar,
    data_updated    varchar,               -- Sotkanet `data-updated`, compared for conditional refresh
    range_start     integer,
    range_end       integer,
    value_type      varchar,               -- primaryValueType.code, e.g. PER100000, PROS, INDEKSI, LKM
    decimals        integer,
    producer_fi     varchar,               -- organization.title: the indicator's producer, credited on pages
    producer_sv     varchar,
    producer_en     varchar,
    is_synthetic    boolean,               -- true for the demo mirror's generated values (esimerkkiaineisto)
    metadata_json   varchar,               -- the response as received
    source_file     varchar,
    run_id          varchar,
    loaded_at       timestamptz
);

-- One row per data row as received, every field as text. region_category/region_code are resolved from the
-- regions list at load time: Sotkanet ids of some regions have changed, category + code have not.
create table if not exists raw.sotkanet_data (
    indicator       varchar,
    region          varchar,
    year            varchar,
    gender          varchar,
    value           varchar,
    abs_value       varchar,
    indicator_id    integer,               -- the indicator of the file the row came from
    region_category varchar,
    region_code     varchar,
    source_file     varchar,
    source_line     bigint,                -- CSV: 1-based line (header = 1); JSON: 1-based element number
    run_id          varchar,
    loaded_at       timestamptz
);

create table if not exists raw.sotkanet_indicator_config (
    indicator_id    integer,
    perspective     varchar,
    genders         varchar,
    years           varchar
);
