-- temp.int_foresight__suppression_lines: the additive relations between published projection cells, for
-- complementary suppression: a total cell and the member cells that add up to it (line_id, cell_id, is_total).
--   1. an area's service type: its specialties add up to the 'ALL' specialty cell
--   2. an area's specialty: its service types add up to the 'ALL' service type cell
--   3. an area of several municipalities (specialty 'ALL'): its municipalities add up to it
create or replace temp table int_foresight__suppression_lines as
with
cells as (select * from intermediate.int_foresight__cells),
areas as (select * from intermediate.int_foresight__areas),
entries as (
    select 'st|' || c.area_code || '|' || c.service_type as line_key, c.cell_id, c.specialty_code = 'ALL' as is_total
    from cells c where c.area_type <> 'municipality'
    union all
    select 'sp|' || c.area_code || '|' || c.specialty_code, c.cell_id, c.service_type = 'ALL'
    from cells c
    union all
    select 'mu|' || a.area_code || '|' || m.service_type, m.cell_id, false
    from areas a
    join cells m on m.area_type = 'municipality' and m.area_code = a.municipality_code and m.specialty_code = 'ALL'
    where a.area_type <> 'municipality'
    union all
    select 'mu|' || c.area_code || '|' || c.service_type, c.cell_id, true
    from cells c where c.area_type <> 'municipality' and c.specialty_code = 'ALL'
)
select cast(dense_rank() over (order by line_key) as bigint) as line_id, cell_id, is_total
from entries
order by line_id, cell_id;
