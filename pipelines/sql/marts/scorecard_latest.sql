-- marts.scorecard_latest: for each indicator and organisation, the marts.scorecard row of the latest period that has
-- a value or is withheld (what a unit page's tile shows), with the same columns as marts.scorecard. For yearly
-- indicators this is marts.scorecard_as_of at its latest as_of_year (the same rule; the demo test checks it).
create or replace view marts.scorecard_latest as
select s.*
from marts.scorecard s
join (
    select indicator_id, org_id, max(period_start) as period_start
    from intermediate.int_scorecard__rows
    where is_present
    group by indicator_id, org_id
) l using (indicator_id, org_id, period_start);
