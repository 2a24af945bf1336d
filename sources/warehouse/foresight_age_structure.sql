-- Population by age group per area, recorded and projected: the driver behind the projection.
select * from marts.foresight_age_structure
