-- intermediate.int_service_use__area_population: residents of every municipality node of the service-use cube per year,
-- from marts.population_by_area (Sotkanet, current boundaries). Years without population data use the nearest year
-- with data; population_year says which year's population 31.12. a row divides by (the pages show it). The district is the sum of the municipalities that appear in the extracts that year; a harmonised
-- municipality is the sum of its member codes that have population.
create or replace table intermediate.int_service_use__area_population as
with
pop as (
    select area_code as municipality_code, year, population
    from marts.population_by_area where area_type = 'municipality'
),
pop_years as (select min(year) as first_year, max(year) as last_year from pop),
cell_years as (
    select distinct municipality_level, municipality_code, year(month) as year from intermediate.int_service_use__cells
),
leaf_years as (select distinct year(month) as year, municipality_code from staging.stg_service_use__monthly),
municipality as (
    select 'municipality' as municipality_level, c.municipality_code, c.year, p.population, p.year as population_year
    from cell_years c cross join pop_years y
    join pop p on p.municipality_code = c.municipality_code and p.year = least(greatest(c.year, y.first_year), y.last_year)
    where c.municipality_level = 'municipality'
),
district as (
    select 'district', 'ALL', l.year, sum(p.population), max(p.year)
    from leaf_years l cross join pop_years y
    join pop p on p.municipality_code = l.municipality_code and p.year = least(greatest(l.year, y.first_year), y.last_year)
    group by l.year
),
harmonised as (
    select 'harmonised', c.municipality_code, c.year, sum(p.population), max(p.year)
    from cell_years c cross join pop_years y
    join temp.su_municipality_map m on m.harmonised_code = c.municipality_code
    join pop p on p.municipality_code = m.municipality_code and p.year = least(greatest(c.year, y.first_year), y.last_year)
    where c.municipality_level = 'harmonised'
    group by c.municipality_code, c.year
)
select municipality_level, municipality_code, year, cast(population as bigint) as population, population_year from municipality
union all select * from district
union all select * from harmonised;
