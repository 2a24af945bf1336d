select * from marts.perspective_scores_as_of
