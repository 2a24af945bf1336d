-- marts.service_use_harmonised: marts.service_use_summary on the municipal boundaries of one year ($boundary_year,
-- from marts.municipality_harmonisation): municipalities merged since are summed into their successor. The same
-- suppressed cube, so a merged total never reveals a withheld member (the merge is one more protected line).
create or replace table marts.service_use_harmonised as
select * exclude (patients_per_1000) from (  -- its contract has no patient rate (marts/service_use_harmonised.yml)
with
merged as (  -- harmonised municipalities that gather two or more municipalities of the data
    select distinct municipality_code as harmonised_code
    from intermediate.int_service_use__cells where municipality_level = 'harmonised'
),
mapping as (  -- each municipality of the data: its harmonised code, and whether it is part of a merged one
    select m.municipality_code, m.harmonised_code, g.harmonised_code is not null as is_merged
    from temp.su_municipality_map m left join merged g on g.harmonised_code = m.harmonised_code
),
cells as (
    select c.*, c.municipality_code as harmonised_code from intermediate.int_service_use__cells c
    where c.municipality_level in ('harmonised', 'district')
    union all
    select c.*, coalesce(m.harmonised_code, c.municipality_code)
    from intermediate.int_service_use__cells c
    left join mapping m using (municipality_code)
    where c.municipality_level = 'municipality' and not coalesce(m.is_merged, false)
)
select
    cast($boundary_year as integer)                                       as boundary_year,
    c.month,
    cast(year(c.month) as integer)                                        as year,
    case when c.municipality_level = 'district' then 'district' else 'municipality' end as municipality_level,
    c.harmonised_code                                                     as municipality_code,
    case when c.municipality_level = 'district' then 'Alue yhteensä' else coalesce(n.name_fi, c.harmonised_code) end
                                                                          as municipality_name_fi,
    case when c.municipality_level = 'district' then word('phrase', 'Alue yhteensä', 'sv')
         else coalesce(n.name_sv, n.name_fi, c.harmonised_code) end      as municipality_name_sv,
    case when c.municipality_level = 'district' then word('phrase', 'Alue yhteensä', 'en')
         else coalesce(n.name_en, n.name_fi, c.harmonised_code) end      as municipality_name_en,
    c.specialty_code,
    c.service_type,
    unnest(published_counts(c)),                                         -- what a withheld cell publishes
    p.population,
    unnest(published_rates(c, p.population)),
    case when not c.suppressed and not d.suppressed and d.visits > 0 then round(c.visits / d.visits, 4) end
                                                                          as visits_share_of_district,
    case when not c.suppressed and not d.suppressed and d.cost_eur > 0 then round(cast(c.cost_eur / d.cost_eur as double), 4) end
                                                                          as cost_eur_share_of_district
from cells c
left join intermediate.int_service_use__cells d
  on d.municipality_level = 'district' and d.month = c.month
 and d.specialty_code = c.specialty_code and d.service_type = c.service_type
left join intermediate.int_municipality__latest_names n on n.municipality_code = c.harmonised_code
left join intermediate.int_service_use__area_population p
  on p.municipality_level = c.municipality_level and p.municipality_code = c.municipality_code and p.year = year(c.month)
);
