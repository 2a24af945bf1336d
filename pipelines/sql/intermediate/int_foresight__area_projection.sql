-- intermediate.int_foresight__area_projection: the projection summed to every published area (intermediate.int_foresight__areas)
-- per specialty and service type with their 'ALL' totals, year, population variant and rate assumption. The
-- suppression cells (base year, central line) and marts.service_need_projection (central line and band) read it.
create or replace table intermediate.int_foresight__area_projection as
select a.area_code, a.area_type, p.year, p.variant, p.rate_assumption,
       case when grouping(p.specialty_code) = 1 then 'ALL' else p.specialty_code end as specialty_code,
       case when grouping(p.service_type) = 1 then 'ALL' else p.service_type end as service_type,
       sum(p.visits) as visits, sum(p.care_periods) as care_periods, sum(p.bed_days) as bed_days,
       sum(p.cost_eur) as cost_eur
from intermediate.int_foresight__projection p join intermediate.int_foresight__areas a using (municipality_code)
group by grouping sets (
    (a.area_code, a.area_type, p.year, p.variant, p.rate_assumption, p.specialty_code, p.service_type),
    (a.area_code, a.area_type, p.year, p.variant, p.rate_assumption, p.specialty_code),
    (a.area_code, a.area_type, p.year, p.variant, p.rate_assumption, p.service_type),
    (a.area_code, a.area_type, p.year, p.variant, p.rate_assumption));
