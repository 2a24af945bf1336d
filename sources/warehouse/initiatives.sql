select * from marts.initiatives
