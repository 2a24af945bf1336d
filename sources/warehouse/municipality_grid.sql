select * from marts.municipality_grid
