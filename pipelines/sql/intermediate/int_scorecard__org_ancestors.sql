create or replace table intermediate.int_scorecard__org_ancestors as
select org_id, org_id as ancestor_id, 0 as depth, null::integer as year from intermediate.int_scorecard__orgs
union all
select 'kunta-' || municipality_code, org_id, min(depth), year from intermediate.int_scorecard__area_members group by all
union all
select org_id, parent_id, 1, null from intermediate.int_scorecard__orgs where org_type = 'sub_area' and parent_id is not null
union all
select org_id, parent_id, 1, null from intermediate.int_scorecard__orgs where org_type in ('service_area', 'unit') and parent_id is not null
union all
select u.org_id, a.parent_id, 2, null
from intermediate.int_scorecard__orgs u join intermediate.int_scorecard__orgs a on a.org_id = u.parent_id and a.org_type = 'service_area'
where u.org_type = 'unit';
