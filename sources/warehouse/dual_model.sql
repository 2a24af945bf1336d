select * from marts.dual_model
