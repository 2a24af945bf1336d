-- marts.area_peer_sets: which peers table each area page (/alueet/<area>) shows (marts.area_peers, docs/scorecard.md,
-- "Peers"). An area's peers table has, for each of its latest tiles (marts.scorecard_as_of, is_latest), the yearly
-- rows of every organisation of its type in the tile's period; areas of one type with the same tiles (indicator and
-- period) show the same table, so they share a peer set: at national size 292 municipalities share one, 387 areas
-- use 7. The page reads its set's rows only (not every area's values, which grew with the square of the areas).
--   peer_set   the md5 of the area's type and its tiles' indicators and periods (a tile with no period joins no row)
create or replace table marts.area_peer_sets as
select org_id as area_id, org_type,
       md5(org_type || ':' || coalesce(string_agg(indicator_id || '@' || cast(period_start as varchar), ',' order by indicator_id, period_start)
                                        filter (where period_start is not null), '')) as peer_set
from marts.scorecard_as_of
where is_latest and org_type <> 'unit'
group by org_id, org_type
order by area_id;
