select * from marts.organisation_members_by_year
