-- marts.objectives (docs/roadmap.md): the Balanced-Scorecard objectives of config/roadmap.yaml, one row per
-- objective and indicator, with the organisation's and the indicator's names and the objective's initiatives (the
-- strategy map, reports/strategiakartta.md, joins the indicator's status from marts.scorecard_as_of).
-- Names and lists in Finnish, Swedish and English (config/roadmap.yaml name_sv / name_en, the Finnish name where
-- missing; the objective's initiatives from intermediate.int_roadmap__name_lists).
create or replace table marts.objectives as
select
    o.org_id,
    org.name_fi                                   as org_name_fi,
    o.objective_id,
    o.perspective,
    p.perspective_fi,
    cast(p.perspective_sort as integer)           as perspective_sort,
    o.name_fi                                     as objective_name_fi,
    coalesce(o.name_sv, o.name_fi)                as objective_name_sv,
    coalesce(o.name_en, o.name_fi)                as objective_name_en,
    o.owner,
    o.sort                                        as objective_sort,
    oi.indicator_id,
    coalesce(i.name_fi, oi.indicator_id)          as indicator_name_fi,
    oi.sort                                       as indicator_sort,
    names.names_fi                                as initiatives_fi,
    names.names_sv                                as initiatives_sv,
    names.names_en                                as initiatives_en,
    (select count(*) from staging.stg_config__roadmap_initiative_objectives io
      where io.objective_id = o.objective_id)     as initiatives_count,
    s.is_example,
    -- Swedish and English: the organisations' names, the perspectives' (seeds/perspectives.csv), the indicators'
    coalesce(org.name_sv, org.name_fi)            as org_name_sv,
    coalesce(org.name_en, org.name_fi)            as org_name_en,
    p.perspective_sv,
    p.perspective_en,
    coalesce(nullif(i.name_sv, ''), i.name_fi, oi.indicator_id) as indicator_name_sv,
    coalesce(nullif(i.name_en, ''), i.name_fi, oi.indicator_id) as indicator_name_en
from staging.stg_config__roadmap_objectives o
left join staging.seed_perspectives p on p.perspective = o.perspective
join staging.stg_config__roadmap_objective_indicators oi on oi.objective_id = o.objective_id
left join staging.stg_config__indicators i on i.indicator_id = oi.indicator_id
left join marts.organisations org on org.organisation_code = o.org_id
left join intermediate.int_roadmap__name_lists names on names.kind = 'objective' and names.id = o.objective_id
cross join staging.stg_config__roadmap_settings s
order by o.sort, oi.sort;
