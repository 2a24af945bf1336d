-- marts.municipality_code_map: every municipality code ever known (the key's codes and merged codes) on the
-- boundaries of every year from regions.first_year: harmonised_code is the code after all mergers effective by
-- 1 January of boundary_year (chains followed: A → B → C).
create or replace table marts.municipality_code_map as
with recursive
settings as (select * from staging.region_settings),
boundary_years as (
    select unnest(range(s.first_year, greatest(s.last_key_year, s.boundary_year) + 1)) as boundary_year
    from settings s
),
codes as (
    select municipality_code as code from intermediate.int_municipality__latest_names
    union
    select merged_code from staging.stg_regions__mergers
    union
    select successor_code from staging.stg_regions__mergers
),
chain(code, boundary_year, current_code, depth) as (
    select c.code, b.boundary_year, c.code, 0
    from codes c cross join boundary_years b
    union all
    select ch.code, ch.boundary_year, m.successor_code, ch.depth + 1
    from chain ch
    join staging.stg_regions__mergers m
      on m.merged_code = ch.current_code and year(m.effective_date) <= ch.boundary_year
    where ch.depth < 20
),
resolved as (
    select code, boundary_year, arg_max(current_code, depth) as harmonised_code
    from chain
    group by code, boundary_year
),
names as (
    select municipality_code as code, name_fi, name_sv, name_en from intermediate.int_municipality__latest_names
    union all
    select merged_code, any_value(merged_name_fi), null, null from staging.stg_regions__mergers
    where merged_code not in (select municipality_code from intermediate.int_municipality__latest_names)
    group by merged_code
)
select
    r.code                                   as municipality_code,
    r.harmonised_code,
    cast(r.boundary_year as integer)         as boundary_year,
    n.name_fi                                as municipality_name_fi,
    hn.name_fi                               as harmonised_name_fi,
    -- the registry's Swedish and English names (the Finnish one where it has none: unilingual and merged ones)
    coalesce(n.name_sv, n.name_fi)           as municipality_name_sv,
    coalesce(n.name_en, n.name_fi)           as municipality_name_en,
    coalesce(hn.name_sv, hn.name_fi)         as harmonised_name_sv,
    coalesce(hn.name_en, hn.name_fi)         as harmonised_name_en,
    r.code <> r.harmonised_code              as is_merged
from resolved r
left join names n on n.code = r.code
left join names hn on hn.code = r.harmonised_code
order by boundary_year, municipality_code;
