-- staging.stg_statfi__grid_layouts: tile-grid layouts for grid maps (code, name, row, col), one file
-- grid_<layout>.csv per layout ($glob, config reference.grid_layouts); municipality codes of the two regional
-- layouts padded to three digits.
create or replace table staging.stg_statfi__grid_layouts as
select regexp_extract(filename, 'grid_([a-z_]+)[.]csv$', 1) as layout,
       case when regexp_full_match(code, '[0-9]{1,3}') and regexp_extract(filename, 'grid_([a-z_]+)[.]csv$', 1)
                 in ('pohjois_pohjanmaa', 'kainuu') then lpad(code, 3, '0') else code end as code,
       name, cast(cast(row as double) as integer) as grid_row, cast(cast(col as double) as integer) as grid_col
from read_csv($glob, header = true, all_varchar = true, union_by_name = true, filename = true);
