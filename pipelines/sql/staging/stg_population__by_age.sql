-- Population 31.12. by municipality × year × canonical 5-year age group, history and projection variants, from
-- the configured PxWeb sources (docs/population.md). age_to is NULL for the open group 85+.
create or replace table staging.stg_population__by_age as
select
    source_name,
    kind,
    variant,
    municipality_code,
    year,
    age_group,
    case when age_group = '85+' then 85 else cast(split_part(age_group, '-', 1) as integer) end   as age_from,
    case when age_group = '85+' then null else cast(split_part(age_group, '-', 2) as integer) end as age_to,
    cast(round(population) as bigint)                                                             as population,
    source_file,
    position                                                                                      as source_position
from intermediate.int_population__rows
where municipality_code is not null
  and dup_rank = 1
order by source_name, variant, municipality_code, year, age_from;
