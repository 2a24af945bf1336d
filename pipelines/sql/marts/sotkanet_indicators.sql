-- marts.sotkanet_indicators: the loaded Sotkanet indicators with title, value type, BSC perspective, producer
-- and the attribution pages print ("Lähde: THL / Sotkanet, <producer>").
create or replace table marts.sotkanet_indicators as
select i.*,
    -- the perspective and the attribution in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    (select s.perspective_sv from staging.seed_perspectives s where s.perspective = i.perspective) as perspective_sv,
    (select s.perspective_en from staging.seed_perspectives s where s.perspective = i.perspective) as perspective_en,
    phrases(i.attribution_fi, 'sv') as attribution_sv,
    phrases(i.attribution_fi, 'en') as attribution_en
from (
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
) i
order by indicator_id;
