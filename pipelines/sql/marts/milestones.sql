-- marts.milestones (docs/roadmap.md): the milestones of the roadmap's initiatives. status_as_of is the date the
-- statuses describe (config/roadmap.yaml status_as_of, the roadmap's data-as-of date); a milestone is late
-- (is_late) when its due date is before that date and its status is not 'valmis'; days_late counts the days from
-- the due date to that date (NULL when not late).
create or replace table marts.milestones as
select
    i.org_id,
    i.initiative_id,
    i.name_fi                                     as initiative_name_fi,
    m.milestone_no,
    m.name_fi                                     as milestone_name_fi,
    m.due_date,
    m.status,
    s.status_as_of,
    (m.status <> 'valmis' and m.due_date < s.status_as_of)                                     as is_late,
    case when m.status <> 'valmis' and m.due_date < s.status_as_of then date_diff('day', m.due_date, s.status_as_of) end as days_late,
    case when m.status <> 'valmis' and m.due_date < s.status_as_of then 'myöhässä' else m.status end as status_fi,
    s.is_example,
    -- the status in Swedish and English (docs/evidence-offline-patch.md, "Languages"); the names of the initiatives
    -- and milestones from config/roadmap.yaml name_sv/_en (the Finnish name where missing)
    word('milestone_status', case when m.status <> 'valmis' and m.due_date < s.status_as_of then 'myöhässä' else m.status end, 'sv') as status_sv,
    word('milestone_status', case when m.status <> 'valmis' and m.due_date < s.status_as_of then 'myöhässä' else m.status end, 'en') as status_en,
    coalesce(i.name_sv, i.name_fi)                as initiative_name_sv,
    coalesce(i.name_en, i.name_fi)                as initiative_name_en,
    coalesce(m.name_sv, m.name_fi)                as milestone_name_sv,
    coalesce(m.name_en, m.name_fi)                as milestone_name_en
from staging.stg_config__roadmap_milestones m
join staging.stg_config__roadmap_initiatives i on i.initiative_id = m.initiative_id
cross join staging.stg_config__roadmap_settings s
order by i.sort, m.milestone_no;
