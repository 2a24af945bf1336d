-- Sotkanet's region list from the embedded reference response (raw.sotkanet_reference_regions) plus the
-- wellbeing services counties with their current Sotkanet ids (raw.sotkanet_county_ids); canonical codes as in
-- stg_sotkanet__regions.
create or replace table staging.stg_sotkanet__reference_regions as
select
    id                                                        as sotkanet_id,
    category                                                  as region_category,
    canonical_region_code(category, code)                     as region_code,
    title_fi                                                  as name_fi,
    title_sv                                                  as name_sv,
    title_en                                                  as name_en
from raw.sotkanet_reference_regions
union all
select cast(uusi_id as bigint), 'HYVINVOINTIALUE', uusi_code, nimi, null, null
from raw.sotkanet_county_ids
where try_cast(uusi_id as bigint) is not null;
