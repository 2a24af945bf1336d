-- intermediate.int_roadmap__name_lists: per objective the names of the initiatives that serve it, per initiative the
-- names of the objectives it serves, each list joined with '; ' in the file's order, in Finnish, Swedish and English
-- (config/roadmap.yaml name_sv / name_en, the Finnish name where one is missing). Read by marts.objectives
-- (initiatives_fi/_sv/_en) and marts.initiatives (objectives_fi/_sv/_en). An objective id may equal an initiative
-- id, hence the kind.
create or replace table intermediate.int_roadmap__name_lists as
with names as (
    select 'objective' as kind, objective_id as id, name_fi, name_sv, name_en, sort from staging.stg_config__roadmap_objectives
    union all
    select 'initiative', initiative_id, name_fi, name_sv, name_en, sort from staging.stg_config__roadmap_initiatives
),
links as (  -- both directions of the initiatives' objectives
    select 'objective' as kind, objective_id as id, 'initiative' as other_kind, initiative_id as other_id
    from staging.stg_config__roadmap_initiative_objectives
    union all
    select 'initiative', initiative_id, 'objective', objective_id from staging.stg_config__roadmap_initiative_objectives
)
select
    l.kind,
    l.id,
    string_agg(n.name_fi, '; ' order by n.sort)                       as names_fi,
    string_agg(coalesce(n.name_sv, n.name_fi), '; ' order by n.sort) as names_sv,
    string_agg(coalesce(n.name_en, n.name_fi), '; ' order by n.sort) as names_en
from links l
join names n on n.kind = l.other_kind and n.id = l.other_id
group by l.kind, l.id;
