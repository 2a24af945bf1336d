-- marts.service_use_harmonised: marts.service_use_summary on the municipal boundaries of one year ($boundary_year,
-- from marts.municipality_harmonisation): municipalities merged since are summed into their successor. The same
-- suppressed cube, so a merged total never reveals a withheld member (the merge is one more protected line).
create or replace table marts.service_use_harmonised as
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
    case when c.suppressed then null else c.visits end                    as visits,
    case when c.suppressed or c.care_withheld then null else c.care_periods end              as care_periods,
    case when c.suppressed or c.care_withheld then null else c.bed_days end            as bed_days,
    case when c.suppressed then null else c.patients end                  as patients,
    case when c.suppressed then null else c.cost_eur end                  as cost_eur,
    c.suppressed                                                          as is_suppressed,
    c.suppression,
    c.care_withheld                                                       as is_care_periods_withheld,
    p.population,
    case when not c.suppressed and p.population > 0 then round(c.visits * 1000.0 / p.population, 3) end
                                                                          as visits_per_1000,
    case when not c.suppressed and not c.care_withheld and p.population > 0 then round(c.care_periods * 1000.0 / p.population, 3) end
                                                                          as care_periods_per_1000,
    case when not c.suppressed and not c.care_withheld and p.population > 0 then round(c.bed_days * 1000.0 / p.population, 3) end
                                                                          as bed_days_per_1000,
    case when not c.suppressed and p.population > 0 then round(cast(c.cost_eur as double) / p.population, 2) end
                                                                          as cost_eur_per_resident,
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
  on p.municipality_level = c.municipality_level and p.municipality_code = c.municipality_code and p.year = year(c.month);
