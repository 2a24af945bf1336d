-- Indicator metadata with the configured Balanced Scorecard perspective.
create or replace table staging.stg_sotkanet__indicators as
select
    i.indicator_id,
    i.title_fi,
    i.title_sv,
    i.title_en,
    i.data_updated,
    i.range_start,
    i.range_end,
    i.value_type,
    i.decimals,
    'THL / Sotkanet'                                          as source,
    i.producer_fi                                             as producer,
    i.producer_sv,
    i.producer_en,
    c.perspective,
    coalesce(i.is_synthetic, false)                           as is_synthetic,
    i.source_file,
    i.loaded_at
from raw.sotkanet_indicators i
left join raw.sotkanet_indicator_config c using (indicator_id);
