select * from marts.milestones
