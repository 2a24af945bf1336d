-- The organisations of the scorecard (docs/scorecard.md): the organisation model's wellbeing counties, 2011
-- collaboration areas and sub-areas (ids = their codes in marts.organisations), every municipality that belongs to
-- one of them in some year (org_id kunta-<code>, current boundaries), and the service areas and units.
-- (intermediate.int_scorecard__area_members is made before, by its own file.) intermediate.int_scorecard__org_ancestors: for target inheritance, each organisation with
-- itself (depth 0) and the organisations it belongs to per year (year NULL = every year).
create or replace table intermediate.int_scorecard__orgs as
with municipalities as (select distinct current_code as municipality_code from marts.organisation_members_by_year)
select organisation_code as org_id, organisation_type as org_type, name_fi, coalesce(name_sv, name_fi) as name_sv, parent_code as parent_id,
       valid_from, valid_to, region_category, region_code, null::varchar as municipality_code,
       case organisation_type when 'wellbeing_county' then 1 when 'collaboration_area' then 2 else 3 end as org_sort,
       -- the English name: the organisation model's name_en, else the Finnish name (a proper name)
       coalesce(name_en, name_fi) as name_en
from staging.stg_config__organisations
where organisation_type in ('wellbeing_county', 'collaboration_area', 'sub_area')
union all
select 'kunta-' || m.municipality_code, 'municipality', coalesce(n.name_fi, m.municipality_code), coalesce(n.name_sv, n.name_fi, m.municipality_code), null,
       null, null, 'KUNTA', m.municipality_code, m.municipality_code, 4, coalesce(n.name_en, n.name_fi, m.municipality_code)
from municipalities m left join intermediate.int_municipality__latest_names n using (municipality_code)
union all
select service_area_code, 'service_area', name_fi, name_fi, organisation_code, valid_from, valid_to, null, null, null, 5, name_fi
from staging.stg_config__service_areas
union all
select unit_code, 'unit', name_fi, name_fi, service_area_code, valid_from, valid_to, null, null, municipality_code, 6, name_fi
from staging.stg_config__units;
