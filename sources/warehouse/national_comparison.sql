-- Finland's value and the rank among the counties beside every yearly scorecard row the pages show (docs/dual-model.md)
select indicator_id, org_id, org_type, year, finland_value, finland_value_fi, finland_value_sv, finland_value_en, county_rank, county_count
from marts.national_comparison
where org_type in ('wellbeing_county', 'collaboration_area', 'sub_area', 'municipality')
