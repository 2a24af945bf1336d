-- marts.scorecard_latest: for each yearly indicator and organisation, the latest row with a value or withheld, under
-- the one "as of" rule (marts.scorecard_as_of, its latest as_of_year): the same row an area page's tile shows.
create or replace view marts.scorecard_latest as
select * from marts.scorecard_as_of where is_latest and is_present;
