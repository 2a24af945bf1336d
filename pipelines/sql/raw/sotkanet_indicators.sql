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
