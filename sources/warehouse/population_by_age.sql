select * from marts.population_by_age
