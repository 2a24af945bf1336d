create table if not exists raw.sotkanet_indicator_config (
    indicator_id    integer,
    perspective     varchar,
    genders         varchar,
    years           varchar
);
