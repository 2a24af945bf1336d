-- Which peer set (marts.area_peers) each area page shows.
select * from marts.area_peer_sets
