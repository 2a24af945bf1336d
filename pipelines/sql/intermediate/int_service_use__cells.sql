-- intermediate.int_service_use__cells: the unsuppressed service-use cube behind every published service-use mart.
-- One cell per month × municipality node × specialty (or 'ALL') × service type (or 'ALL'). Municipality nodes:
-- each municipality in the data ('municipality'), the district total 'ALL' ('district'), and every harmonised
-- municipality that gathers two or more municipalities of the data ('harmonised', from temp.su_municipality_map).
-- protected_n is the count small-number protection looks at: patients, or visits + care periods where an extract
-- has no patient counts (a count column the extract does not have is NULL, unknown, and adds 0 here). Cells with protected_n 1..threshold-1 start suppressed ('primary'); complementary
-- suppression (pipelines/service-use/suppression.ts) adds more: whole cells ('complementary'), or only a cell's care
-- periods and bed days (care_withheld, suppression 'care_periods'). Not published: marts read it.
create or replace table intermediate.int_service_use__cells as
with
base as (
    select month, municipality_code, specialty_code, service_type,
           sum(visits) as visits, sum(care_periods) as care_periods, sum(bed_days) as bed_days,
           sum(patients) as patients, count(patients) = count(*) as patients_complete,
           sum(cost_eur) as cost_eur,
           sum(coalesce(patients, coalesce(visits, 0) + coalesce(care_periods, 0))) as protected_n
    from staging.stg_service_use__monthly
    group by month, municipality_code, specialty_code, service_type
),
leaves as (select distinct municipality_code from base),
merged as (
    select m.harmonised_code
    from temp.su_municipality_map m join leaves using (municipality_code)
    group by m.harmonised_code
    having count(*) >= 2
),
nodes as (
    select municipality_code, 'municipality' as municipality_level, municipality_code as node_code from leaves
    union all
    select municipality_code, 'district', 'ALL' from leaves
    union all
    select m.municipality_code, 'harmonised', m.harmonised_code
    from temp.su_municipality_map m join merged using (harmonised_code) join leaves using (municipality_code)
),
expanded as (
    select b.*, n.municipality_level, n.node_code from base b join nodes n using (municipality_code)
),
cube as (
    select month, municipality_level, node_code as municipality_code,
           case when grouping(specialty_code) = 1 then 'ALL' else specialty_code end as specialty_code,
           case when grouping(service_type) = 1 then 'ALL' else service_type end as service_type,
           cast(sum(visits) as bigint) as visits,
           cast(sum(care_periods) as bigint) as care_periods,
           cast(sum(bed_days) as bigint) as bed_days,
           cast(case when bool_and(patients_complete) then sum(patients) end as bigint) as patients,
           cast(sum(cost_eur) as decimal(18,2)) as cost_eur,
           cast(sum(protected_n) as bigint) as protected_n
    from expanded
    group by grouping sets (
        (month, municipality_level, node_code, specialty_code, service_type),
        (month, municipality_level, node_code, specialty_code),
        (month, municipality_level, node_code, service_type),
        (month, municipality_level, node_code)
    )
)
select
    cast(row_number() over (order by month, municipality_level, municipality_code, specialty_code, service_type) as bigint) as cell_id,
    *,
    protected_n between 1 and $threshold - 1 as suppressed,
    case when protected_n between 1 and $threshold - 1 then 'primary' end as suppression,
    false as care_withheld  -- only care periods and bed days withheld (suppression 'care_periods', docs/disclosure.md)
from cube;
