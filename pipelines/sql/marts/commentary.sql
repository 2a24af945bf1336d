-- marts.commentary: the comments of the people responsible (analyses, conclusions, development challenges,
-- measures; docs/commentary.md), the newest version per subject (indicator or objective), organisation, period, kind
-- and author role, with the names pages show (an indicator's registry name, an objective's name from
-- config/roadmap.yaml). Comments from files under data/demo/ are example content (is_demo).
create or replace table marts.commentary as
with ranked as (
    select c.*,
           row_number() over (partition by subject_type, subject_id, org_id, period, kind, author_role
                              order by comment_date desc, loaded_at desc, source_line desc) as version_rank,
           count(*) over (partition by subject_type, subject_id, org_id, period, kind, author_role) as versions
    from staging.stg_commentary__comments c
)
select
    r.subject_type,
    r.subject_id,
    case when r.subject_type = 'indicator' then r.subject_id end                    as indicator_id,
    case when r.subject_type = 'objective' then r.subject_id end                    as objective_id,
    coalesce(i.name_fi, ob.name_fi, r.subject_id)                                   as subject_name_fi,
    r.org_id,
    coalesce(o.name_fi, r.org_id)                                                   as org_name_fi,
    r.period,
    r.period_type,
    r.period_start,
    cast(year(r.period_start) as integer)                                           as year,
    case when r.period_type = 'month' then strftime(r.period_start, '%-m/%Y') else r.period end as period_fi,
    r.kind,
    case r.kind when 'analyysi' then 1 when 'johtopäätös' then 2 when 'kehittämishaaste' then 3 else 4 end as kind_sort,
    case r.kind when 'analyysi' then 'Analyysi' when 'johtopäätös' then 'Johtopäätös'
                when 'kehittämishaaste' then 'Kehittämishaaste' else 'Toimenpide' end as kind_fi,
    r.author_role,
    r.comment_text,
    r.comment_date,
    strftime(r.comment_date, '%-d.%-m.%Y')                                          as comment_date_fi,
    cast(r.versions as integer)                                                     as versions,
    replace(r.source_file, '\', '/') like '%/data/demo/%'                           as is_demo,
    r.loaded_at,
    -- Swedish and English: the registry's indicator names and the organisations' names (an objective's name is the
    -- roadmap's Finnish one), the kinds from the vocabulary, dates and months as each language writes them
    coalesce(case i.name_sv when '' then null else i.name_sv end, i.name_fi, ob.name_fi, r.subject_id) as subject_name_sv,
    coalesce(case i.name_en when '' then null else i.name_en end, i.name_fi, ob.name_fi, r.subject_id) as subject_name_en,
    coalesce(o.name_sv, o.name_fi, r.org_id)                                        as org_name_sv,
    coalesce(o.name_en, o.name_fi, r.org_id)                                        as org_name_en,
    case when r.period_type = 'month' then strftime(r.period_start, '%-m/%Y') else r.period end as period_sv,
    case when r.period_type = 'month' then strftime(r.period_start, '%b %Y') else r.period end as period_en,
    word('comment_kind', r.kind, 'sv')                                              as kind_sv,
    word('comment_kind', r.kind, 'en')                                              as kind_en,
    strftime(r.comment_date, '%-d.%-m.%Y')                                          as comment_date_sv,
    strftime(r.comment_date, '%-d/%-m/%Y')                                          as comment_date_en
from ranked r
left join staging.stg_config__indicators i on r.subject_type = 'indicator' and i.indicator_id = r.subject_id
left join staging.stg_config__roadmap_objectives ob on r.subject_type = 'objective' and ob.objective_id = r.subject_id
left join intermediate.int_scorecard__orgs o on o.org_id = r.org_id
where r.version_rank = 1
order by r.org_id, r.period_start, r.subject_id, kind_sort, r.author_role;
