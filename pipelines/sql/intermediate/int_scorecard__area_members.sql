-- intermediate.int_scorecard__area_members: each area's (wellbeing county, collaboration area, sub-area) member
-- municipalities per year, for sums over members (the scorecard, and the service-use disclosure step). A wellbeing
-- county's years before it started use its first year's members (its history on today's boundaries, as Sotkanet
-- reports it).
create or replace table intermediate.int_scorecard__area_members as
with settings as (select first_year, last_key_year from staging.region_settings),
years as (select unnest(range(s.first_year, s.last_key_year + 1))::integer as year from settings s),
orgs as (select * from staging.stg_config__organisations where organisation_type in ('wellbeing_county', 'collaboration_area', 'sub_area')),
member_years as (
    select o.organisation_code, y.year,
           case when o.organisation_type = 'wellbeing_county' and y.year < year(o.valid_from) then year(o.valid_from) else y.year end as member_year
    from orgs o cross join years y
    where y.year <= coalesce(year(o.valid_to), 9999)
      and (o.organisation_type = 'wellbeing_county' or y.year >= year(o.valid_from))
)
select distinct my.organisation_code as org_id, my.year, m.current_code as municipality_code,
       case when m.membership like 'via %' then 2 else 1 end as depth
from member_years my
join marts.organisation_members_by_year m on m.organisation_code = my.organisation_code and m.year = my.member_year;
