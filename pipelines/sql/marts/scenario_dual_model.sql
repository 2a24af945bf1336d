-- marts.scenario_dual_model: the scenarios of /ennakointi/skenaariot placed on the dual model's CHANGE plane
-- (docs/dual-model.md, "Scenarios"). One row per scenario (the baseline 'nykymalli' included), whole pilot area.
--   cost effect (measured by the scenario engine): cost_change = Σ diff_total_cost_eur / Σ baseline total cost over
--     the scenario's years in effect (the baseline: all projected years), i.e. the change of the costs it touches;
--   cost_change_score = 50 + 50 × (−cost_change) / (change_spread_pct / 100), clamped to 0..100: the dual model's
--     change rule (marts.dual_model) with the baseline in the place of Finland's change, so the baseline sits at 50;
--   welfare effect: an ASSUMPTION, not a measurement: the alternatives move the same visits to another place with
--     the same care, so welfare_change_score = 50 (no better or worse than the baseline); welfare_assumption_fi says so.
--   change_quadrant: the dual model's quadrant rule on the two change scores.
create or replace table marts.scenario_dual_model as
with
settings as (select * from staging.stg_config__dual_model_settings),
totals as (
    select scenario_code, any_value(scenario_name_fi) as scenario_name_fi, any_value(scenario_sort) as scenario_sort,
           any_value(scenario_name_sv) as scenario_name_sv, any_value(scenario_name_en) as scenario_name_en,
           cast(min(year) as integer) as first_year, cast(max(year) as integer) as last_year,
           sum(total_cost_eur - diff_total_cost_eur) as baseline_cost_eur,
           sum(diff_total_cost_eur) as diff_cost_eur
    from marts.scenario_results
    where municipality_code = 'ALL' and (in_effect or scenario_code = 'nykymalli')
    group by scenario_code
),
scored as (
    select t.*, t.diff_cost_eur / nullif(t.baseline_cost_eur, 0) as cost_change,
           case when t.baseline_cost_eur > 0 then greatest(0.0, least(100.0,
               50 + 50 * (-(t.diff_cost_eur / t.baseline_cost_eur)) / (s.change_spread_pct / 100))) end as cost_change_score,
           50.0 as welfare_change_score, s.threshold
    from totals t cross join settings s
)
select
    scenario_code, scenario_name_fi, scenario_sort, scenario_code = 'nykymalli' as is_baseline, first_year, last_year,
    round(baseline_cost_eur) as baseline_cost_eur, round(diff_cost_eur) + 0.0 as diff_cost_eur,
    round(100 * cost_change, 1) + 0.0 as cost_change_pct,
    round(cost_change_score, 1) as cost_change_score,
    welfare_change_score,
    case when cost_change_score is null then null
         when welfare_change_score >= threshold and cost_change_score >= threshold then 'tavoite'
         when welfare_change_score < threshold and cost_change_score < threshold then 'ajelehtiva'
         when welfare_change_score >= threshold then 'epärealistinen'
         else 'terveyserot kasvavat' end                                   as change_quadrant,
    'Oletus: hyvinvointivaikutus sama kuin nykymallissa (samat käynnit ja sama hoito toisessa paikassa); ei mitattu' as welfare_assumption_fi,
    scenario_name_sv, scenario_name_en,
    'Antagande: välfärdseffekten densamma som i nuvarande modell (samma besök och samma vård på en annan plats); inte mätt' as welfare_assumption_sv,
    'Assumption: the welfare effect is the same as in today''s model (the same visits and the same care in another place); not measured' as welfare_assumption_en
from scored
order by scenario_sort;
