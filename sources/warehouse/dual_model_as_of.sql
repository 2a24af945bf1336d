select * from marts.dual_model_as_of
