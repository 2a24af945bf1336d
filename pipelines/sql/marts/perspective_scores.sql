-- marts.perspective_scores: PUBLIC CONTRACT (docs/scorecard.md). Per organisation, period and BSC perspective the
-- weighted average (registry weight, default 1) of the indicators' score_0_100 that have a score; context
-- indicators are not scored. The first seven columns are the contract.
create or replace view marts.perspective_scores as
select
    r.org_id, r.org_type, r.period_start, r.perspective,
    round(sum(r.score_0_100 * i.weight) / sum(i.weight), 1)                 as score_0_100,
    cast(count(*) as integer)                                               as indicators_counted,
    r.period_type,
    cast(count(*) filter (where r.status = 'green') as integer)             as indicators_green,
    cast(count(*) filter (where r.status = 'yellow') as integer)            as indicators_yellow,
    cast(count(*) filter (where r.status = 'red') as integer)               as indicators_red,
    case when sum(r.score_0_100 * i.weight) / sum(i.weight) >= 100 then 'green'
         when sum(r.score_0_100 * i.weight) / sum(i.weight) >= 50 then 'yellow' else 'red' end as status,
    coalesce(any_value(w.weight), 1.0)                                      as perspective_weight,
    any_value(r.perspective_fi)                                             as perspective_fi,
    any_value(r.org_name_fi)                                                as org_name_fi,
    any_value(r.org_type_fi)                                                as org_type_fi,
    bool_or(r.is_demo)                                                      as is_demo,
    any_value(r.period_label)                                               as period_label,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    any_value(r.perspective_sv) as perspective_sv, any_value(r.perspective_en) as perspective_en,
    any_value(r.org_name_sv) as org_name_sv, any_value(r.org_name_en) as org_name_en,
    any_value(r.org_type_sv) as org_type_sv, any_value(r.org_type_en) as org_type_en
from marts.scorecard r
join staging.stg_config__indicators i using (indicator_id)
left join staging.stg_config__perspective_weights w on w.perspective = r.perspective
where r.score_0_100 is not null and i.weight > 0 and r.perspective <> 'context'
group by r.org_id, r.org_type, r.period_type, r.period_start, r.perspective;
