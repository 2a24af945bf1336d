select * from marts.objectives
