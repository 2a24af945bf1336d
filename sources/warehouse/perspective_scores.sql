select * from marts.perspective_scores
