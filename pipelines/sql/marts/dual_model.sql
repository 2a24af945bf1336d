-- marts.dual_model: PUBLIC CONTRACT (docs/dual-model.md; docs/scorecard.md, "The dual model"). The seed's
-- duaali-malli, v2: each area and year on two axes, welfare benefit (hyvinvointihyöty) and cost benefit
-- (kustannushyöty), 0-100. The columns up to is_demo are the contract; the v2 columns after them may grow.
-- Peers (peer_set): a wellbeing county is compared with ALL counties (21 wellbeing counties and Helsinki, Sotkanet
-- HYVINVOINTIALUE, marts.indicator_region_values); every other organisation type with ALL municipalities (KUNTA).
-- Each organisation type is its own chart (scores of different peer sets are not comparable).
--   need adjustment (cost components with need_adjusted): value ÷ (need index / 100), the latest value of that year
--     or before of any configured need index (243, then its successor 5641), for the area, every peer and Finland alike.
--   LEVEL: component score = 50 + 50 × benefit / (spread_pct / 100), clamped to 0..100, where
--     benefit = value / peer mean − 1 (higher is better) or 1 − value / peer mean (lower is better); 50 = peer mean.
--   CHANGE over change_years (the year − change_years → the year): change = value / value then − 1, the same for
--     Finland (MAA); across a switch of need index (the two years adjusted by different indices) of the unadjusted
--     values; benefit = change − Finland's change (higher is better) or Finland's change − change (lower is
--     better); change score = 50 + 50 × benefit / (change_spread_pct / 100), clamped; 50 = developed like Finland.
--   welfare_score / cost_score (level) and welfare_change_score / cost_change_score = weighted means of the
--   available component scores (configured weights).
--   quadrant (of the level, and change_quadrant of the change): both ≥ threshold 'tavoite'; both below 'ajelehtiva';
--   welfare high, cost low 'epärealistinen'; welfare low, cost high 'terveyserot kasvavat'.
create or replace table marts.dual_model as
with
settings as (select * from staging.stg_config__dual_model_settings),
components as (select * from staging.stg_config__dual_model),
rows as (
    select r.indicator_id, r.org_id, r.org_type, cast(year(r.period_start) as integer) as year, r.value, r.org_name_fi, r.is_demo,
           r.org_name_sv, r.org_name_en
    from marts.scorecard r
    where r.period_type = 'year' and list_contains((select org_types from settings), r.org_type) and r.value is not null
),
-- the areas (kind org) and the comparator regions (kind region) in one shape
units as (
    select 'org' as kind, org_id as unit_id, case when org_type = 'wellbeing_county' then 'county' else 'municipality' end as peer_set,
           indicator_id, year, value
    from rows
    union all
    select 'region', region_category || ':' || region_code,
           case when is_county_peer then 'county' when region_category = 'KUNTA' then 'municipality' else 'national' end,
           indicator_id, year, value
    from marts.indicator_region_values
    where value is not null and (is_county_peer or region_category in ('KUNTA', 'MAA'))
),
-- the latest need value of that year or before, of any configured need index (an ended series, then its successor;
-- on a tie of years the later-listed index wins), and which index it is (need_from)
need_values as (
    select u.kind, u.unit_id, u.year,
           (select arg_max({'value': n.value, 'indicator_id': n.indicator_id}, n.year * 100 + list_position((select need_index from settings), n.indicator_id))
              from units n
             where n.kind = u.kind and n.unit_id = u.unit_id and list_contains((select need_index from settings), n.indicator_id)
               and n.year <= u.year) as latest
    from (select distinct kind, unit_id, year from units) u
),
need as (select kind, unit_id, year, latest.value as need_index, latest.indicator_id as need_from from need_values),
adjusted as (
    select u.*, c.component, c.weight, c.need_adjusted, i.polarity, nd.need_index, nd.need_from,
           case when c.component = 'cost' and c.need_adjusted and nd.need_index > 0 then u.value / (nd.need_index / 100) else u.value end as adjusted_value
    from units u
    join components c on c.indicator_id = u.indicator_id
    join staging.stg_config__indicators i on i.indicator_id = u.indicator_id
    left join need nd on nd.kind = u.kind and nd.unit_id = u.unit_id and nd.year = u.year
),
peer_stats as (
    select indicator_id, peer_set, year, avg(adjusted_value) as peer_mean, count(*) as peer_n
    from adjusted where kind = 'region' and peer_set <> 'national'
    group by indicator_id, peer_set, year
),
national as (
    select indicator_id, year, any_value(value) as value, any_value(adjusted_value) as adjusted_value, any_value(need_from) as need_from
    from adjusted where kind = 'region' and peer_set = 'national' group by indicator_id, year
),
component_scores as (
    select a.*, ps.peer_mean, ps.peer_n, s.spread_pct, s.change_spread_pct, s.change_years,
           greatest(0.0, least(100.0,
               50 + 50 * (case when a.polarity = 'lower_is_better' then 1 - a.adjusted_value / ps.peer_mean else a.adjusted_value / ps.peer_mean - 1 end)
                  / (s.spread_pct / 100))) as component_score,
           -- a change across a switch of need index (243 → 5641: two methods) does not count the index's change: the
           -- unadjusted change is used then, for the area and for Finland alike
           case when a.component = 'cost' and a.need_adjusted and p.need_from is distinct from a.need_from
                then a.value / nullif(p.value, 0) - 1
                else a.adjusted_value / nullif(p.adjusted_value, 0) - 1 end as change,
           case when a.component = 'cost' and a.need_adjusted and np.need_from is distinct from n.need_from
                then n.value / nullif(np.value, 0) - 1
                else n.adjusted_value / nullif(np.adjusted_value, 0) - 1 end as national_change
    from adjusted a
    cross join settings s
    join peer_stats ps on ps.indicator_id = a.indicator_id and ps.peer_set = a.peer_set and ps.year = a.year
    left join adjusted p on p.kind = 'org' and p.unit_id = a.unit_id and p.indicator_id = a.indicator_id and p.year = a.year - s.change_years
    left join national n on n.indicator_id = a.indicator_id and n.year = a.year
    left join national np on np.indicator_id = a.indicator_id and np.year = a.year - s.change_years
    where a.kind = 'org' and ps.peer_mean <> 0
),
change_scores as (
    -- (greatest/least skip NULLs, so a missing change must stay NULL explicitly)
    select *, case when change is not null and national_change is not null then greatest(0.0, least(100.0,
              50 + 50 * (case when polarity = 'lower_is_better' then national_change - change else change - national_change end)
                 / (change_spread_pct / 100))) end as change_score
    from component_scores
),
axes as (
    select c.unit_id as org_id, c.year, any_value(c.peer_set) as peer_set,
           sum(component_score * weight) filter (where component = 'welfare') / sum(weight) filter (where component = 'welfare') as welfare_score,
           sum(component_score * weight) filter (where component = 'cost') / sum(weight) filter (where component = 'cost') as cost_score,
           sum(change_score * weight) filter (where component = 'welfare' and change_score is not null)
               / sum(weight) filter (where component = 'welfare' and change_score is not null) as welfare_change_score,
           sum(change_score * weight) filter (where component = 'cost' and change_score is not null)
               / sum(weight) filter (where component = 'cost' and change_score is not null) as cost_change_score,
           cast(count(*) filter (where component = 'welfare') as integer) as welfare_components,
           cast(count(*) filter (where component = 'cost') as integer) as cost_components,
           any_value(need_index) as need_index,
           cast(min(peer_n) as integer) as peer_count,
           any_value(change_years) as change_years
    from change_scores c
    group by c.unit_id, c.year
),
orgs as (
    select org_id, year, any_value(org_type) as org_type, any_value(org_name_fi) as org_name_fi, bool_or(is_demo) as is_demo,
           any_value(org_name_sv) as org_name_sv, any_value(org_name_en) as org_name_en
    from rows group by org_id, year
),
-- components whose series ended before the row's year (the registry's quality.series_end): the axis goes on without
-- them, and the page says so (the municipal net costs end with 2022; no county series is joined, docs/dual-model.md)
breaks as (
    select a.org_id, a.year,
           string_agg(i.name_fi || ' (sarja päättyi ' || year(i.series_end) || ')', '; ' order by c.component desc, i.name_fi) as series_break_fi,
           string_agg(coalesce(i.name_sv, i.name_fi) || ' (serien upphörde ' || year(i.series_end) || ')', '; ' order by c.component desc, i.name_fi) as series_break_sv,
           string_agg(coalesce(i.name_en, i.name_fi) || ' (series ended ' || year(i.series_end) || ')', '; ' order by c.component desc, i.name_fi) as series_break_en
    from axes a
    cross join components c
    join staging.stg_config__indicators i on i.indicator_id = c.indicator_id
    where year(i.series_end) < a.year
    group by a.org_id, a.year
)
select
    a.org_id, a.year, round(welfare_score, 1) as welfare_score, round(cost_score, 1) as cost_score,
    case when welfare_score >= t.threshold and cost_score >= t.threshold then 'tavoite'
         when welfare_score < t.threshold and cost_score < t.threshold then 'ajelehtiva'
         when welfare_score >= t.threshold then 'epärealistinen'
         else 'terveyserot kasvavat' end                                   as quadrant,
    case when welfare_score >= t.threshold and cost_score >= t.threshold then 'target'
         when welfare_score < t.threshold and cost_score < t.threshold then 'drifting'
         when welfare_score >= t.threshold then 'not_realistic'
         else 'health_gaps_grow' end                                        as quadrant_en,
    o.org_type, o.org_name_fi, welfare_components, cost_components, a.need_index, peer_count, o.is_demo,
    -- v2
    a.peer_set,
    peer_count                                                              as peer_n,
    case a.peer_set when 'county' then 'kaikki hyvinvointialueet' else 'kaikki kunnat' end as peer_set_fi,
    round(welfare_change_score, 1)                                          as welfare_change_score,
    round(cost_change_score, 1)                                             as cost_change_score,
    cast(a.year - a.change_years as integer)                                as change_from_year,
    case when welfare_change_score is null or cost_change_score is null then null
         when welfare_change_score >= t.threshold and cost_change_score >= t.threshold then 'tavoite'
         when welfare_change_score < t.threshold and cost_change_score < t.threshold then 'ajelehtiva'
         when welfare_change_score >= t.threshold then 'epärealistinen'
         else 'terveyserot kasvavat' end                                   as change_quadrant,
    b.series_break_fi,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages"); the quadrant's name as
    -- quadrant_name_fi/_sv/_en (quadrant_en is the quadrant's code)
    o.org_name_sv, o.org_name_en,
    word('peer_set', case a.peer_set when 'county' then 'county' else 'municipality' end, 'sv') as peer_set_sv,
    word('peer_set', case a.peer_set when 'county' then 'county' else 'municipality' end, 'en') as peer_set_en,
    word('quadrant', quadrant_en, 'fi') as quadrant_name_fi, word('quadrant', quadrant_en, 'sv') as quadrant_name_sv,
    word('quadrant', quadrant_en, 'en') as quadrant_name_en,
    b.series_break_sv, b.series_break_en
from axes a
join orgs o on o.org_id = a.org_id and o.year = a.year
left join breaks b on b.org_id = a.org_id and b.year = a.year
cross join settings t
where welfare_score is not null and cost_score is not null
order by a.year, o.org_type, a.org_id;
