-- marts.municipality_grid: tile-grid positions of the Pohjois-Pohjanmaa and Kainuu municipalities for grid maps
-- (Statistics Finland / geofi layouts). Kainuu is placed to the right of Pohjois-Pohjanmaa in one combined grid.
create or replace table marts.municipality_grid as
with pp as (select * from staging.stg_statfi__grid_layouts where layout = 'pohjois_pohjanmaa'),
     kai as (select * from staging.stg_statfi__grid_layouts where layout = 'kainuu')
select 'kunta-' || code as org_id, code as municipality_code, name, grid_row as row, grid_col as col, layout
from pp
union all
select 'kunta-' || code, code, name, grid_row, grid_col + (select max(grid_col) from pp) + 1, layout
from kai
order by row, col;
