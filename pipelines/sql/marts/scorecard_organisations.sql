-- marts.scorecard_organisations: the organisations of the scorecard (for page filters): wellbeing counties, 2011
-- collaboration areas and sub-areas (codes of marts.organisations), municipalities (kunta-<code>), service areas and
-- units, with their parent (a sub-area's collaboration area, a service area's county, a unit's service area).
create or replace view marts.scorecard_organisations as
select
    o.org_id, o.org_type,
    case o.org_type
        when 'wellbeing_county' then 'hyvinvointialue' when 'collaboration_area' then 'yhteistoiminta-alue'
        when 'sub_area' then 'osa-alue' when 'municipality' then 'kunta' when 'service_area' then 'palvelualue'
        else 'yksikkö' end                                                   as org_type_fi,
    o.name_fi, o.name_sv,
    o.name_fi || ' (' || case o.org_type
        when 'wellbeing_county' then 'hyvinvointialue' when 'collaboration_area' then 'yhteistoiminta-alue'
        when 'sub_area' then 'osa-alue' when 'municipality' then 'kunta' when 'service_area' then 'palvelualue'
        else 'yksikkö' end || ')'                                           as label_fi,
    o.parent_id, p.name_fi as parent_name_fi, o.municipality_code, o.valid_from, o.valid_to, o.org_sort,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    o.name_en, word('org_type', o.org_type, 'sv') as org_type_sv, word('org_type', o.org_type, 'en') as org_type_en,
    o.name_sv || ' (' || word('org_type', o.org_type, 'sv') || ')' as label_sv,
    o.name_en || ' (' || word('org_type', o.org_type, 'en') || ')' as label_en,
    p.name_sv as parent_name_sv, p.name_en as parent_name_en
from intermediate.int_scorecard__orgs o
left join intermediate.int_scorecard__orgs p on p.org_id = o.parent_id
order by o.org_sort, o.name_fi;
