-- The cells each planned cell adds up (docs/plan.md, "Areas and specialty groups"), this year and last year: an area of
-- the organisation model is its member municipalities of that year (intermediate.int_scorecard__area_members, the
-- region model), a specialty group its member specialties (staging.stg_config__specialty_groups); any other cell is
-- itself. Everything below reads the published cells of these members only.
create or replace table intermediate.int_plan__cell_members as
with back(back) as (values (0), (1)),
members as (
    select a.* from intermediate.int_scorecard__area_members a
    join staging.stg_config__organisations o on o.organisation_code = a.org_id and o.organisation_type in ('collaboration_area', 'sub_area')
)
select distinct c.organiser, c.municipality_code, c.specialty_code, c.service_type, c.year, c.year - b.back as data_year,
       coalesce(a.municipality_code, c.municipality_code) as member_municipality,
       coalesce(g.specialty_code, c.specialty_code) as member_specialty
from intermediate.int_plan__cells c
cross join back b
left join members a on a.org_id = c.municipality_code and a.year = c.year - b.back
left join staging.stg_config__specialty_groups g on g.group_code = c.specialty_code;
