-- intermediate.int_foresight__cells: one cell per published projection row key (area × specialty × service type, with
-- 'ALL' totals; municipalities only with specialty 'ALL'), with the count small-number protection looks at and the
-- central base-year values. protected_n is a lower bound of the distinct patients behind the cell in the base year:
-- the largest, over months and over the cell's specialty × service type combinations, of the area's monthly patient
-- count (visits + care periods where an extract has no patient counts). Cells with protected_n 1..threshold-1 are
-- withheld for every year ('primary'); complementary suppression (pipelines/foresight/build.ts) adds more.
create or replace table intermediate.int_foresight__cells as
with
settings as (select * from intermediate.int_foresight__settings),
areas as (select * from intermediate.int_foresight__areas),
monthly as (
    select m.municipality_code, m.month, m.specialty_code, m.service_type,
           sum(coalesce(m.patients, m.visits + m.care_periods)) as p
    from staging.stg_service_use__monthly m, settings s
    where year(m.month) = s.base_year
    group by all
),
area_month as (
    select a.area_code, a.area_type, x.month, x.specialty_code, x.service_type, sum(x.p) as p
    from monthly x join areas a using (municipality_code)
    group by all
),
protection as (
    select area_code, area_type,
           case when grouping(specialty_code) = 1 then 'ALL' else specialty_code end as specialty_code,
           case when grouping(service_type) = 1 then 'ALL' else service_type end as service_type,
           max(p) as protected_n
    from area_month
    group by grouping sets ((area_code, area_type, specialty_code, service_type), (area_code, area_type, specialty_code),
                            (area_code, area_type, service_type), (area_code, area_type))
),
vals as (
    select v.area_code, v.area_type, v.specialty_code, v.service_type, v.visits, v.care_periods, v.bed_days, v.cost_eur
    from intermediate.int_foresight__area_projection v, settings s
    where v.year = s.base_year and v.variant = s.main_variant and v.rate_assumption = s.main_rate_assumption
),
cells as (
    select v.*, coalesce(p.protected_n, 0) as protected_n
    from vals v left join protection p using (area_code, area_type, specialty_code, service_type)
    where v.area_type <> 'municipality' or v.specialty_code = 'ALL'
)
select cast(row_number() over (order by area_code, specialty_code, service_type) as bigint) as cell_id,
       area_code, area_type, specialty_code, service_type, protected_n,
       cast(protected_n <> 0 as integer) + 4 * cast(round(visits) <> 0 as integer)
         + 8 * cast(round(care_periods) <> 0 as integer) + 16 * cast(round(bed_days) <> 0 as integer)
         + 32 * cast(round(cost_eur) <> 0 as integer) as non_zero,
       protected_n between 1 and $threshold - 1 as suppressed,
       case when protected_n between 1 and $threshold - 1 then 'primary' end as suppression
from cells;
