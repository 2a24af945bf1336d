-- Sotkanet's regions, typed. region_code is the canonical code used across the warehouse: municipalities keep
-- their three digits, other numeric codes lose leading zeros (Sotkanet's hospital district "03" = Statistics
-- Finland's "3"). Join on category + code, not on Sotkanet's id: some ids have changed.
create or replace table staging.stg_sotkanet__regions as
select
    id                                                        as region_id,
    category                                                  as region_category,
    code                                                      as sotkanet_code,
    canonical_region_code(category, code)                     as region_code,
    title_fi                                                  as region_name_fi,
    title_sv                                                  as region_name_sv,
    title_en                                                  as region_name_en,
    member_of,
    uri,
    source_file
from raw.sotkanet_regions;
