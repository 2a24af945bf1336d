select * from marts.sotkanet_indicators
