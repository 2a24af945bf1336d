select * from marts.scorecard_latest
