select * from marts.target_states
