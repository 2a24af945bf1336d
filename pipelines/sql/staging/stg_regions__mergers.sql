-- Municipality mergers as dated successor links, from the mergers file loaded into raw.regions_mergers.
create or replace table staging.stg_regions__mergers as
select
    lpad(trim(merged_code), 3, '0')                 as merged_code,
    merged_name_fi,
    lpad(trim(successor_code), 3, '0')              as successor_code,
    successor_name_fi,
    cast(effective_date as date)                    as effective_date,
    source,
    source_file,
    source_line
from raw.regions_mergers
where regexp_full_match(trim(merged_code), '[0-9]{1,3}')
  and regexp_full_match(trim(successor_code), '[0-9]{1,3}')
  and try_cast(effective_date as date) is not null;
