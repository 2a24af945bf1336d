-- Population rows with municipality codes: a 3-digit code must be in the Statistics Finland municipality key
-- (any year); a name is matched (case-insensitive) to name_fi or name_sv of the row's year, else of any year (the
-- latest). municipality_code is NULL for an unknown municipality; dup_rank > 1 marks a repeated key.
create or replace table intermediate.int_population__rows as
with
names as (
    select year, lower(trim(name)) as name, min(municipality_code) as municipality_code
    from (
        select year, name_fi as name, municipality_code from staging.stg_statfi__municipality_years
        union all
        select year, name_sv as name, municipality_code from staging.stg_statfi__municipality_years
    )
    where name is not null and trim(name) <> ''
    group by all
),
names_any_year as (
    select name, arg_max(municipality_code, year) as municipality_code from names group by name
),
codes as (
    select distinct municipality_code from staging.stg_statfi__municipality_years
),
mapped as (
    select r.*, coalesce(c.municipality_code, ny.municipality_code, na.municipality_code) as municipality_code
    from raw.population_rows r
    left join codes c on c.municipality_code = r.municipality
    left join names ny on ny.name = lower(trim(r.municipality)) and ny.year = r.year
    left join names_any_year na on na.name = lower(trim(r.municipality))
)
select *,
       case when municipality_code is null then null
            else row_number() over (partition by source_name, variant, municipality_code, year, age_group order by position)
       end as dup_rank,
       case when municipality_code is null then null
            else min(position) over (partition by source_name, variant, municipality_code, year, age_group)
       end as first_position
from mapped;
