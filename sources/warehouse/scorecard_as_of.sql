-- The strategic pages' scorecard "as of a year" (the front page's tiles and map, /alueet/<area>'s tiles,
-- /strategiakartta): the columns a tile, the map and the strategy map show, for every organisation but the units
-- (no strategic page shows a unit; a unit's tiles read scorecard_latest).
select as_of_year, is_latest, data_year, indicator_id, indicator_name_fi, indicator_name_sv, indicator_name_en,
       perspective, is_strategic, polarity, decimals, org_id, org_type, period_start, period_label,
       value, value_fi, value_sv, value_en, unit, unit_fi, unit_sv, unit_en, target, status, status_fi, status_sv, status_en,
       trend, trend_is_favourable, is_suppressed, loaded_at, is_demo,
       as_of_fi, as_of_sv, as_of_en, series_end_fi, series_end_sv, series_end_en,
       denominator_fi, denominator_sv, denominator_en, coverage_fi, coverage_sv, coverage_en,
       finland_fi, finland_sv, finland_en, county_rank_fi, county_rank_sv, county_rank_en
from marts.scorecard_as_of
where org_type <> 'unit'
