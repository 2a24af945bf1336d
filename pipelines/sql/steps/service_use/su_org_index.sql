-- temp.su_org_index: the disclosure step's combined cell index of the area and year totals
-- (intermediate.int_service_use__org_cells): a municipality month is its cube cell (cube_cell_id - 1), a yearly or
-- area total comes after the cube.
create or replace temp table su_org_index as
select cell_id as org_cell_id,
       case when cube_cell_id is not null then cube_cell_id - 1
            else (select count(*) from intermediate.int_service_use__cells)
                 + row_number() over (partition by cube_cell_id is null order by cell_id) - 1 end as idx
from intermediate.int_service_use__org_cells;
