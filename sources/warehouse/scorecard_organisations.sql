select * from marts.scorecard_organisations
