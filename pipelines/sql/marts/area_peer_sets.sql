-- marts.area_peer_sets: which peers table each area page (/alueet/<area>) shows (marts.area_peers, docs/scorecard.md,
-- "Peers"). An area's peers table has, for each of its latest tiles (marts.scorecard_as_of, is_latest), the yearly
-- rows of every organisation of its type in the tile's period; areas of one type with the same tiles (indicator and
-- period; for a municipality also its county) show the same table, so they share a peer set. The page reads its
-- set's rows only (not every area's values, which grew with the square of the areas).
--   peer_county  a municipality's wellbeing services county today (marts.regions, the latest year that names one):
--                a municipality's peers table shows the municipalities of its own county, with their rank among all
--                the country's municipalities (peer_rank of peer_count); NULL for the other types (every area of
--                the type). At national size one table of all 292 municipalities × 29 tiles was 8 500 rows a page.
--   peer_set     the md5 of the area's type, its peer_county and its tiles' indicators and periods (a tile with no
--                period joins no row)
create or replace table marts.area_peer_sets as
with county as (
    select 'kunta-' || region_code as org_id, arg_max(wellbeing_county_code, year) as peer_county
    from marts.regions where region_category = 'KUNTA' and wellbeing_county_code is not null group by region_code
)
select a.org_id as area_id, a.org_type, c.peer_county,
       md5(a.org_type || ':' || coalesce(c.peer_county, '') || ':'
           || coalesce(string_agg(a.indicator_id || '@' || cast(a.period_start as varchar), ',' order by a.indicator_id, a.period_start)
                       filter (where a.period_start is not null), '')) as peer_set
from marts.scorecard_as_of a
left join county c on a.org_type = 'municipality' and c.org_id = a.org_id
where a.is_latest and a.org_type <> 'unit'
group by a.org_id, a.org_type, c.peer_county
order by area_id;
