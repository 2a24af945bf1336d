select * from marts.organisations
