-- marts.sotkanet_indicators: the loaded Sotkanet indicators with title, value type, BSC perspective, producer
-- and the attribution pages print ("Lähde: THL / Sotkanet, <producer>").
create or replace table marts.sotkanet_indicators as
select
    indicator_id,
    title_fi,
    coalesce(title_sv, title_fi) as title_sv, -- the Finnish title where Sotkanet has none in the language
    coalesce(title_en, title_fi) as title_en,
    perspective,
    (select s.perspective_fi from staging.seed_perspectives s where s.perspective = stg_sotkanet__indicators.perspective) as perspective_fi,
    value_type,
    decimals,
    range_start,
    range_end,
    data_updated,
    source,
    producer,
    'Lähde: ' || source || coalesce(', ' || producer, '')
        || case when is_synthetic then ' (esimerkkiaineisto, ei todellista tietoa)' else '' end
                                                                     as attribution_fi,
    is_synthetic,
    loaded_at
from staging.stg_sotkanet__indicators
order by indicator_id;
