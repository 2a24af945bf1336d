-- temp.int_foresight__equations: the attacker's relations between projection cells (docs/disclosure.md), as
-- equations Σ coef · cell = 0 in groups (group_id, equation_id, cell index = cell_id - 1, coef):
--   one group per line of temp.int_foresight__suppression_lines (specialties → 'ALL', service types → 'ALL',
--   municipalities → area), and one group per specialty × service type holding every area of several municipalities
--   as area − Σ its municipalities. Municipalities are published only for 'ALL' specialties; in the other
--   specialties they are latent cells (index from the number of cells up: never published, always unknown), so
--   that nested and overlapping areas (pilot area − Lakeus = Oulunkaari) are differences the attacker tries.
create or replace temp table int_foresight__equations as
with
cells as (select * from intermediate.int_foresight__cells),
n as (select count(*) as n from cells),
areas as (select * from intermediate.int_foresight__areas where area_type <> 'municipality'),
slices as (select distinct specialty_code, service_type from cells where area_type <> 'municipality'),
members as (
    select a.area_code, s.specialty_code, s.service_type, a.municipality_code
    from areas a cross join slices s
),
latent as (
    select municipality_code, specialty_code, service_type,
           (select n from n) + dense_rank() over (order by municipality_code, specialty_code, service_type) - 1 as cell
    from (select distinct municipality_code, specialty_code, service_type from members) m
    anti join cells c on c.area_type = 'municipality' and c.area_code = m.municipality_code
        and c.specialty_code = m.specialty_code and c.service_type = m.service_type
),
area_entries as (
    select 'area|' || c.specialty_code || '|' || c.service_type as group_key, c.area_code as equation_key,
           c.cell_id - 1 as cell, 1.0 as coef
    from cells c where c.area_type <> 'municipality' and c.area_code in (select area_code from areas)
    union all
    select 'area|' || m.specialty_code || '|' || m.service_type, m.area_code,
           coalesce(c.cell_id - 1, l.cell), -1.0
    from members m
    left join cells c on c.area_type = 'municipality' and c.area_code = m.municipality_code
        and c.specialty_code = m.specialty_code and c.service_type = m.service_type
    left join latent l on l.municipality_code = m.municipality_code and l.specialty_code = m.specialty_code
        and l.service_type = m.service_type
),
line_entries as (
    select 'line|' || line_id as group_key, cast(line_id as varchar) as equation_key, cell_id - 1 as cell,
           case when is_total then 1.0 else -1.0 end as coef
    from temp.int_foresight__suppression_lines
),
entries as (select * from area_entries union all select * from line_entries)
select cast(dense_rank() over (order by group_key) as double) as group_id,
       cast(dense_rank() over (order by group_key, equation_key) as double) as equation_id,
       cast(cell as integer) as cell, coef
from entries
order by group_id, equation_id, cell;
