-- temp.int_service_use__suppression_lines: every published additive relation of the service-use cube, as a
-- "line": a total cell (is_total) and the member cells that add up to it. Complementary suppression (suppression.ts) keeps each
-- line at zero or at least two withheld cells, so no withheld cell is a published total minus published members.
-- A temporary table: only complementary suppression needs it. line_id = total cell_id * 4 + dimension (0 municipalities → district, 1 municipalities → harmonised municipality,
-- 2 specialties → all specialties, 3 service types → all service types).
drop table if exists intermediate.int_service_use__suppression_lines;  -- a persistent table in earlier versions
create or replace temp table int_service_use__suppression_lines as
with
c as (
    select cell_id, month, municipality_level, municipality_code, specialty_code, service_type
    from intermediate.int_service_use__cells
),
members as (
    select t.cell_id * 4 as line_id, m.cell_id
    from c m
    join c t on t.month = m.month and t.municipality_level = 'district'
            and t.specialty_code = m.specialty_code and t.service_type = m.service_type
    where m.municipality_level = 'municipality'
    union all
    select t.cell_id * 4 + 1, m.cell_id
    from c m
    join temp.su_municipality_map h on h.municipality_code = m.municipality_code
    join c t on t.month = m.month and t.municipality_level = 'harmonised' and t.municipality_code = h.harmonised_code
            and t.specialty_code = m.specialty_code and t.service_type = m.service_type
    where m.municipality_level = 'municipality'
    union all
    select t.cell_id * 4 + 2, m.cell_id
    from c m
    join c t on t.month = m.month and t.municipality_level = m.municipality_level and t.municipality_code = m.municipality_code
            and t.specialty_code = 'ALL' and t.service_type = m.service_type
    where m.specialty_code <> 'ALL'
    union all
    select t.cell_id * 4 + 3, m.cell_id
    from c m
    join c t on t.month = m.month and t.municipality_level = m.municipality_level and t.municipality_code = m.municipality_code
            and t.specialty_code = m.specialty_code and t.service_type = 'ALL'
    where m.service_type <> 'ALL'
)
select line_id, cell_id, false as is_total from members
union all
select distinct line_id, line_id // 4 as cell_id, true as is_total from members;
