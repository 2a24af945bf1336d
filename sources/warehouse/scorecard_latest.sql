-- The tiles of the unit pages (/yksikot/<unit>) and the service-area pages (/palvelualueet/<area>): each indicator's
-- latest row of the units and service areas, with the columns a tile shows (the areas' tiles read scorecard_as_of).
select indicator_id, indicator_name_fi, indicator_name_sv, indicator_name_en, perspective, is_implementation,
       decimals, org_id, org_type, period_type, period_start, period_label,
       value, unit, unit_fi, unit_sv, unit_en, target, status, trend, trend_is_favourable, is_suppressed, loaded_at, is_demo,
       denominator_fi, denominator_sv, denominator_en, coverage_fi, coverage_sv, coverage_en
from marts.scorecard_latest
where org_type in ('unit', 'service_area')
