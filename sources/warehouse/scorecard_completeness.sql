select * from marts.scorecard_completeness
