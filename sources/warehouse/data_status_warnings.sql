select * from marts.data_status_warnings
