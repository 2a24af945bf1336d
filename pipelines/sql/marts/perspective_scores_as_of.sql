-- marts.perspective_scores_as_of: the front page's perspective scores, from the same rows as its tiles
-- (marts.scorecard_as_of, strategic indicators with a target): per organisation, as_of_year and perspective the
-- weighted average (registry weight) of their score_0_100. An indicator whose series has ended keeps counting with
-- its last value (its year shown on the tile), so a score does not jump when one source is a year behind another;
-- indicators_counted of indicators_with_target say how many have a score, first/last_data_year where the scores come
-- from, coverage_fi both in words ("5/6 mittaria, tiedot 2022–2023").
create or replace table marts.perspective_scores_as_of as
with
targeted as (
    select r.*, i.weight
    from marts.scorecard_as_of r
    join staging.stg_config__indicators i using (indicator_id)
    where r.is_strategic and i.weight > 0 and r.perspective <> 'context'
      and (r.target_low is not null or r.target_high is not null)
),
scored as (
    select org_id, org_type, as_of_year, perspective,
           sum(score_0_100 * weight) filter (where score_0_100 is not null)
               / sum(weight) filter (where score_0_100 is not null)             as score,
           cast(count(score_0_100) as integer)                                 as indicators_counted,
           cast(count(*) as integer)                                           as indicators_with_target,
           cast(count(*) filter (where status = 'green') as integer)           as indicators_green,
           cast(count(*) filter (where status = 'yellow') as integer)          as indicators_yellow,
           cast(count(*) filter (where status = 'red') as integer)             as indicators_red,
           min(data_year) filter (where score_0_100 is not null)               as first_data_year,
           max(data_year) filter (where score_0_100 is not null)               as last_data_year,
           any_value(perspective_fi) as perspective_fi, any_value(org_name_fi) as org_name_fi, bool_or(is_demo) as is_demo,
           any_value(perspective_sv) as perspective_sv, any_value(perspective_en) as perspective_en,
           any_value(org_name_sv) as org_name_sv, any_value(org_name_en) as org_name_en
    from targeted
    group by org_id, org_type, as_of_year, perspective
)
select org_id, org_type, as_of_year, perspective, round(score, 1) as score_0_100,
       indicators_counted, indicators_with_target, indicators_green, indicators_yellow, indicators_red,
       case when score >= 100 then 'green' when score >= 50 then 'yellow' when score is not null then 'red' end as status,
       first_data_year, last_data_year,
       indicators_counted || '/' || indicators_with_target || ' mittaria'
           || case when first_data_year < last_data_year then ', tiedot ' || first_data_year || '–' || last_data_year
                   when last_data_year is not null then ', tiedot ' || last_data_year else '' end as coverage_fi,
       perspective_fi, org_name_fi, is_demo,
       -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
       indicators_counted || '/' || indicators_with_target || ' mätare'
           || case when first_data_year < last_data_year then ', uppgifter ' || first_data_year || '–' || last_data_year
                   when last_data_year is not null then ', uppgifter ' || last_data_year else '' end as coverage_sv,
       indicators_counted || '/' || indicators_with_target || ' indicators'
           || case when first_data_year < last_data_year then ', data ' || first_data_year || '–' || last_data_year
                   when last_data_year is not null then ', data ' || last_data_year else '' end as coverage_en,
       perspective_sv, perspective_en, org_name_sv, org_name_en
from scored;
