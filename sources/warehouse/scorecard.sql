-- The scorecard rows the area pages (/alueet/<area>: peers, the indicator dropdown, the long trend) and the indicator
-- pages (/indikaattorit/<id>: values by area and period) show, and only their columns: the areas' yearly rows and
-- the counties', collaboration areas', sub-areas' and service areas' rows of every period. Not the units (a unit's
-- tiles read scorecard_latest) nor the municipalities' monthly rows, which no page shows: at national size they are
-- 86 % of marts.scorecard's 1 008 045 rows, more than `evidence sources` could hold (README "Scale").
select indicator_id, indicator_name_fi, indicator_name_sv, indicator_name_en,
       org_id, org_type, org_type_fi, org_type_sv, org_type_en, org_name_fi, org_name_sv, org_name_en,
       period_type, period_start, period_label, value, value_fi, value_sv, value_en, value_fmt, target,
       status_fi, status_sv, status_en, is_suppressed, peer_rank, peer_count
from marts.scorecard
where org_type in ('wellbeing_county', 'collaboration_area', 'sub_area', 'service_area')
   or (org_type = 'municipality' and period_type = 'year')
