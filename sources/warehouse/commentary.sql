select * from marts.commentary
