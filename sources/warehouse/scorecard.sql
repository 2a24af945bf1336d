select * from marts.scorecard
