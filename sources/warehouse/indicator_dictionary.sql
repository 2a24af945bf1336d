select * from marts.indicator_dictionary
