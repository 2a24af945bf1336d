-- marts.area_peers: the rows of each peer set's peers table (/alueet/<area>, "Vertailu"; the set of an area in
-- marts.area_peer_sets): for each tile of the set (indicator and period), every organisation of the set's type with a
-- yearly marts.scorecard row in that period (for a municipality's set, the municipalities of its peer_county), its
-- value and rank among all the organisations of the type, Finland's value and its rank among the counties
-- (marts.national_comparison, for the types the pages compare with the counties); once per set, not once per area.
--   peer_rank / peer_count   marts.scorecard's rank among the organisations of the type, and their number
--   year                     the tile's year (year of period_start)
--   <x>_sv, <x>_en           the Finnish columns' siblings, which a Swedish or English site shows
create or replace table marts.area_peers as
with tiles as (
    select distinct s.peer_set, s.org_type, s.peer_county, a.indicator_id, a.period_start
    from marts.scorecard_as_of a
    join marts.area_peer_sets s on s.area_id = a.org_id
    where a.is_latest
)
select t.peer_set, p.indicator_id, p.indicator_name_fi, p.org_id, p.org_name_fi, p.org_type, p.period_start,
       cast(year(p.period_start) as integer) as year,
       p.value, p.value_fi, p.peer_rank, p.peer_count, n.finland_value_fi, n.county_rank,
       -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
       p.indicator_name_sv, p.indicator_name_en, p.org_name_sv, p.org_name_en, p.value_sv, p.value_en,
       n.finland_value_sv, n.finland_value_en
from tiles t
join marts.scorecard p on p.indicator_id = t.indicator_id and p.period_start = t.period_start and p.org_type = t.org_type
left join marts.area_peer_sets c on c.area_id = p.org_id
left join marts.national_comparison n
       on n.indicator_id = p.indicator_id and n.org_id = p.org_id and n.year = year(p.period_start)
      and n.org_type in ('wellbeing_county', 'collaboration_area', 'sub_area', 'municipality')
where p.period_type = 'year' and (t.peer_county is null or c.peer_county = t.peer_county)
order by t.peer_set, p.indicator_name_fi, p.indicator_id, p.peer_rank nulls last, p.org_name_fi, p.org_id;
