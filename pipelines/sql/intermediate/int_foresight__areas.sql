-- intermediate.int_foresight__areas: the areas the projection is published for, with their member municipalities on
-- current boundaries: every projected municipality, every organisation of config/organisation.yaml (wellbeing
-- counties, collaboration areas and their sub-areas, with the members of the organisation's last year) and the
-- scenarios' pilot area (config/scenarios.yaml).
create or replace table intermediate.int_foresight__areas as
with
projected as (select distinct municipality_code from intermediate.int_foresight__projection),
org_last as (
    select organisation_code, max(year) as year from marts.organisation_members_by_year group by organisation_code
),
org_members as (
    select distinct m.organisation_code, m.current_code as municipality_code
    from marts.organisation_members_by_year m join org_last l using (organisation_code, year)
)
select distinct 'pilot_area' as area_type, 'pilottialue' as area_type_fi, a.area_code, a.area_name_fi,
       a.municipality_code, 0 as area_sort
from staging.stg_config__scenario_area a
where a.municipality_code in (select municipality_code from projected)
union all
select o.organisation_type, o.organisation_type_fi, o.organisation_code, o.name_fi, om.municipality_code,
       case o.organisation_type when 'wellbeing_county' then 1 when 'collaboration_area' then 2 else 3 end
from org_members om join marts.organisations o using (organisation_code)
where o.organisation_type in ('wellbeing_county', 'collaboration_area', 'sub_area')
  and om.municipality_code in (select municipality_code from projected)
union all
select 'municipality', 'kunta', p.municipality_code, coalesce(n.name_fi, p.municipality_code), p.municipality_code, 4
from projected p left join intermediate.int_municipality__latest_names n using (municipality_code);
