select * from marts.unit_data_monthly
