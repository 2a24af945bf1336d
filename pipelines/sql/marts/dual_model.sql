-- marts.dual_model: PUBLIC CONTRACT (docs/scorecard.md, "The dual model"). The seed's duaali-malli: each area and
-- year on two axes, welfare benefit (hyvinvointihyöty) and cost benefit (kustannushyöty), 0-100 with 50 = the mean
-- of the peer organisations (same organisation type, same year). The first five columns are the contract.
--   component score = 50 + 50 × benefit / (spread_pct / 100), clamped to 0..100, where benefit = value / peer mean − 1
--   (higher is better) or 1 − value / peer mean (lower is better); cost components are first need-adjusted:
--   value ÷ (need index / 100) with the need index's latest value of that year or before (when configured).
--   welfare_score / cost_score = weighted mean of the available component scores (configured weights).
--   quadrant: both ≥ threshold 'tavoite'; both below 'ajelehtiva'; welfare high, cost low 'epärealistinen';
--   welfare low, cost high 'terveyserot kasvavat'.
create or replace table marts.dual_model as
with
settings as (select * from staging.stg_config__dual_model_settings),
components as (select * from staging.stg_config__dual_model),
rows as (
    select r.indicator_id, r.org_id, r.org_type, cast(year(r.period_start) as integer) as year, r.value, r.polarity, r.org_name_fi, r.is_demo
    from marts.scorecard r
    where r.period_type = 'year' and list_contains((select org_types from settings), r.org_type)
),
need as (
    select c.org_id, c.year,
           (select arg_max(n.value, n.year) from rows n
             where n.indicator_id = (select need_index from settings) and n.org_id = c.org_id and n.year <= c.year and n.value is not null) as need_index
    from (select distinct org_id, year from rows) c
),
adjusted as (
    select r.*, c.component, c.weight, nd.need_index,
           case when c.component = 'cost' and nd.need_index > 0 then r.value / (nd.need_index / 100) else r.value end as adjusted_value
    from rows r
    join components c on c.indicator_id = r.indicator_id
    left join need nd on nd.org_id = r.org_id and nd.year = r.year
    where r.value is not null
),
peers as (
    select *, avg(adjusted_value) over (partition by indicator_id, org_type, year) as peer_mean,
              count(*) over (partition by indicator_id, org_type, year) as peer_n
    from adjusted
),
component_scores as (
    select *, greatest(0.0, least(100.0,
              50 + 50 * (case when polarity = 'lower_is_better' then 1 - adjusted_value / peer_mean else adjusted_value / peer_mean - 1 end)
                 / ((select spread_pct from settings) / 100))) as component_score
    from peers where peer_mean <> 0
),
axes as (
    select org_id, org_type, year, any_value(org_name_fi) as org_name_fi, bool_or(is_demo) as is_demo,
           sum(component_score * weight) filter (where component = 'welfare') / sum(weight) filter (where component = 'welfare') as welfare_score,
           sum(component_score * weight) filter (where component = 'cost') / sum(weight) filter (where component = 'cost') as cost_score,
           cast(count(*) filter (where component = 'welfare') as integer) as welfare_components,
           cast(count(*) filter (where component = 'cost') as integer) as cost_components,
           any_value(need_index) as need_index,
           min(peer_n) as peer_count
    from component_scores
    group by org_id, org_type, year
)
select
    org_id, year, round(welfare_score, 1) as welfare_score, round(cost_score, 1) as cost_score,
    case when welfare_score >= t.threshold and cost_score >= t.threshold then 'tavoite'
         when welfare_score < t.threshold and cost_score < t.threshold then 'ajelehtiva'
         when welfare_score >= t.threshold then 'epärealistinen'
         else 'terveyserot kasvavat' end                                   as quadrant,
    case when welfare_score >= t.threshold and cost_score >= t.threshold then 'target'
         when welfare_score < t.threshold and cost_score < t.threshold then 'drifting'
         when welfare_score >= t.threshold then 'not_realistic'
         else 'health_gaps_grow' end                                        as quadrant_en,
    org_type, org_name_fi, welfare_components, cost_components, a.need_index, peer_count, is_demo
from axes a, settings t
where welfare_score is not null and cost_score is not null
order by year, org_type, org_id;
