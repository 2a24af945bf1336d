-- marts.initiatives (docs/roadmap.md): the initiatives (kehittämistoimenpiteet) of config/roadmap.yaml, one row per
-- initiative: owner, the objectives it serves, start and end, and its milestones counted by status against the
-- roadmap's status date (marts.milestones: a milestone due before it and not done is late).
-- Names and lists in Finnish, Swedish and English (config/roadmap.yaml name_sv / name_en, the Finnish name where
-- missing; the objectives it serves from intermediate.int_roadmap__name_lists).
create or replace table marts.initiatives as
select
    i.org_id,
    org.name_fi                                   as org_name_fi,
    i.initiative_id,
    i.name_fi                                     as initiative_name_fi,
    coalesce(i.name_sv, i.name_fi)                as initiative_name_sv,
    coalesce(i.name_en, i.name_fi)                as initiative_name_en,
    i.owner,
    i.start_date,
    i.end_date,
    strftime(i.start_date, '%-d.%-m.%Y')          as start_date_fi,
    strftime(i.end_date, '%-d.%-m.%Y')            as end_date_fi,
    -- Swedish writes dates as Finnish does, English day/month/year; the organisation's name in each language
    start_date_fi as start_date_sv, end_date_fi as end_date_sv,
    strftime(i.start_date, '%-d/%-m/%Y') as start_date_en, strftime(i.end_date, '%-d/%-m/%Y') as end_date_en,
    coalesce(org.name_sv, org.name_fi) as org_name_sv, coalesce(org.name_en, org.name_fi) as org_name_en,
    i.sort                                        as initiative_sort,
    names.names_fi                                as objectives_fi,
    names.names_sv                                as objectives_sv,
    names.names_en                                as objectives_en,
    (select count(*) from marts.milestones m where m.initiative_id = i.initiative_id)                         as milestones_total,
    (select count(*) from marts.milestones m where m.initiative_id = i.initiative_id and m.status = 'valmis') as milestones_done,
    (select count(*) from marts.milestones m where m.initiative_id = i.initiative_id and m.is_late)           as milestones_late,
    s.status_as_of,
    s.is_example
from staging.stg_config__roadmap_initiatives i
left join marts.organisations org on org.organisation_code = i.org_id
left join intermediate.int_roadmap__name_lists names on names.kind = 'initiative' and names.id = i.initiative_id
cross join staging.stg_config__roadmap_settings s
order by i.sort;
