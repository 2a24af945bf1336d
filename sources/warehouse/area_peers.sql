-- Each peer set's peers table (the area pages' "Vertailu", marts.area_peers): the page reads its own set's rows.
select * from marts.area_peers
