-- intermediate.int_service_use__org_cells: the yearly and area totals of service use (docs/disclosure.md) with the cells
-- they add up: municipality × month × specialty × service type (cells of the service-use cube, cube_cell_id,
-- withheld as there: suppression 'cube'), and the totals computed from the UNPROTECTED cells as cells of their own:
-- municipality (and the district, 'ALL') × year × specialty × service type (marts.service_use_yearly), and area × month and area × year for
-- all specialties and service types ALL / outpatient visits / inpatient periods (the scorecard; areas: wellbeing
-- counties, collaboration areas, sub-areas, with their members of each year), and for the organisers (the wellbeing
-- counties, temp.su_organisers) every specialty × service type (their totals on /toteutus). Years with all 12 months of data only. A total is
-- withheld only when its own count is small ('primary') or when the disclosure step needs it ('complementary'),
-- never merely because a member is withheld. A municipality month the step withholds here goes back to the cube.
create or replace table intermediate.int_service_use__org_cells as
with
mm as (  -- the cube's cells of municipalities on current boundaries (a merged one is its harmonised cell)
    select 'kunta-' || coalesce(m.harmonised_code, c.municipality_code) as org_id,
           coalesce(m.harmonised_code, c.municipality_code) as municipality_code, 'month' as grain,
           c.month as period_start, c.specialty_code, c.service_type, c.visits, c.care_periods, c.bed_days,
           cast(c.cost_eur as double) as cost_eur, c.protected_n, c.suppressed, c.care_withheld, c.cell_id as cube_cell_id
    from intermediate.int_service_use__cells c
    -- (the level inside the key, not beside it in the condition: a hash join, not a nested loop)
    left join temp.su_municipality_map m
      on m.municipality_code = case when c.municipality_level = 'municipality' then c.municipality_code end
    where c.municipality_level in ('municipality', 'harmonised')
    qualify row_number() over (partition by c.month, coalesce(m.harmonised_code, c.municipality_code), c.specialty_code,
                                            c.service_type
                               order by c.municipality_level = 'harmonised' desc) = 1
),
dm as (  -- the district's cells (all municipalities of the data): org and municipality 'ALL'
    select 'ALL' as org_id, 'ALL' as municipality_code, 'month' as grain, c.month as period_start, c.specialty_code,
           c.service_type, c.visits, c.care_periods, c.bed_days, cast(c.cost_eur as double) as cost_eur, c.protected_n,
           c.suppressed, c.care_withheld, c.cell_id as cube_cell_id
    from intermediate.int_service_use__cells c where c.municipality_level = 'district'
),
complete_years as (select year(period_start) as year from mm group by 1 having count(distinct period_start) = 12),
present as (select distinct municipality_code, year(period_start) as year from mm),
members as (  -- area members per year that have data that year: an area partly covered by the extracts (Oulunkaari:
               -- Simo used Länsi-Pohja's hospital) sums its covered members; the scorecard says how many (coverage_fi)
    select m.org_id, m.year, m.municipality_code
    from intermediate.int_scorecard__area_members m
    join present p using (municipality_code, year)
),
my as (
    select org_id, municipality_code, 'year' as grain, make_date(year(period_start), 1, 1) as period_start,
           specialty_code, service_type,
           sum(visits) as visits, sum(care_periods) as care_periods, sum(bed_days) as bed_days,
           sum(cost_eur) as cost_eur, sum(protected_n) as protected_n
    from (select * from mm union all select * from dm) x where year(period_start) in (select year from complete_years)
    group by org_id, municipality_code, year(period_start), specialty_code, service_type
),
municipal as (
    select org_id, municipality_code, grain, period_start, specialty_code, service_type, visits, care_periods, bed_days,
           cost_eur, protected_n
    from mm
    union all
    select * from my
),
areas as (  -- area months and area years: sums over the area's members of that year
    select m.org_id, null as municipality_code, x.grain, x.period_start, x.specialty_code, x.service_type,
           sum(x.visits) as visits, sum(x.care_periods) as care_periods, sum(x.bed_days) as bed_days,
           sum(x.cost_eur) as cost_eur, sum(x.protected_n) as protected_n
    from members m join municipal x on x.municipality_code = m.municipality_code and year(x.period_start) = m.year
    where (x.specialty_code = 'ALL' and x.service_type in ('ALL', 'outpatient_visit', 'inpatient_period'))
       or m.org_id in (select org_id from temp.su_organisers)  -- the organisers' totals of /toteutus: every slice
    group by m.org_id, x.grain, x.period_start, x.specialty_code, x.service_type
),
cells as (
    select * from mm
    union all
    select * from dm
    union all
    select *, protected_n between 1 and $threshold - 1, false, null from my
    union all
    select *, protected_n between 1 and $threshold - 1, false, null from areas
)
select cast(row_number() over (order by grain, org_id, period_start, specialty_code, service_type) as bigint) as cell_id,
       org_id, municipality_code, grain, period_start, specialty_code, service_type, visits, care_periods, bed_days,
       cost_eur, protected_n,
       cast(protected_n <> 0 as integer) + 4 * cast(coalesce(visits, 0) <> 0 as integer)
         + 8 * cast(coalesce(care_periods, 0) <> 0 as integer) + 16 * cast(coalesce(bed_days, 0) <> 0 as integer)
         + 32 * cast(coalesce(cost_eur, 0) <> 0 as integer) as non_zero,
       suppressed, care_withheld, cube_cell_id,
       case when cube_cell_id is not null and suppressed then 'cube' when suppressed then 'primary' end as suppression
from cells;
