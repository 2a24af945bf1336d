-- The projection's settings, for the method text.
select * from marts.foresight_settings
