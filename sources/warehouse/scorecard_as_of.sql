select * from marts.scorecard_as_of
