-- marts.scorecard: PUBLIC CONTRACT (docs/scorecard.md). One row per indicator × organisation × period. The first
-- seventeen columns are the contract, in this order; the columns after them may grow.
--   value NULL and is_suppressed true: an input was withheld (small numbers); never a number from withheld inputs.
--   status green / yellow / red / none (no value or no target); score_0_100 100 = target met, 50 = yellow/red edge.
--   trend up / down / flat over the indicator's last trend.periods periods (missing periods skipped); NULL = < 2 values.
create or replace view marts.scorecard as
select
    indicator_id, perspective, level, org_id, org_type, period_start, period_type, value, target, status,
    change_prev, change_yoy, trend, score_0_100, is_suppressed, source_updated_at, loaded_at,
    numerator, denominator, target_low, target_high, target_scope, peer_rank, peer_count, trend_is_favourable,
    is_expected, is_present, is_out_of_range, polarity, unit, decimals,
    indicator_name_fi, indicator_name_sv, indicator_name_en, levels, is_strategic, is_implementation, is_operational,
    org_name_fi, org_name_sv, org_parent_id, org_sort, is_demo, attribution_fi,
    (select s.perspective_fi from staging.seed_perspectives s where s.perspective = int_scorecard__rows.perspective) as perspective_fi,
    case org_type
        when 'wellbeing_county' then 'hyvinvointialue' when 'collaboration_area' then 'yhteistoiminta-alue'
        when 'sub_area' then 'osa-alue' when 'municipality' then 'kunta' when 'service_area' then 'palvelualue'
        else 'yksikkö' end                                                      as org_type_fi,
    case status when 'green' then 'vihreä' when 'yellow' then 'keltainen' when 'red' then 'punainen' else 'ei arviota' end as status_fi,
    case period_type
        when 'year' then strftime(period_start, '%Y')
        when 'quarter' then strftime(period_start, '%Y') || '/Q' || quarter(period_start)
        when 'month' then strftime(period_start, '%m/%Y')
        else strftime(period_start, '%G-W%V') end                                as period_label,
    -- of an area's member municipalities, how many the indicator's source covers (docs/scorecard.md "Coverage")
    members_covered, members_total,
    case when members_covered < members_total then members_covered || '/' || members_total || ' jäsenkuntaa' end as coverage_fi,
    -- rates per resident: the population year they divide by ("väestö 31.12.2022", said when older than the period)
    population_year,
    case when population_year is not null then 'väestö 31.12.' || population_year
         || case when population_year < year(period_start) then ' (uusin julkaistu)' else '' end end as denominator_fi,
    -- the value as the pages print it: the indicator's decimals, Finnish separators (no-break space, decimal comma)
    '#,##0' || case when decimals > 0 then '.' || repeat('0', decimals) else '' end  as value_fmt,
    case when value is not null then
        replace(replace(replace(format('{:,.{}f}', value, coalesce(decimals, 1)), ',', chr(160)), '.', ','), '-', '−') end as value_fi,
    -- the words above in Swedish and English (<x>_fi, <x>_sv, <x>_en; docs/evidence-offline-patch.md, "Languages"); the
    -- unit as unit_fi beside them (unit is the registry's Finnish unit)
    (select any_value(o.name_en) from intermediate.int_scorecard__orgs o where o.org_id = int_scorecard__rows.org_id) as org_name_en,
    (select s.perspective_sv from staging.seed_perspectives s where s.perspective = int_scorecard__rows.perspective) as perspective_sv,
    (select s.perspective_en from staging.seed_perspectives s where s.perspective = int_scorecard__rows.perspective) as perspective_en,
    word('org_type', org_type, 'sv') as org_type_sv, word('org_type', org_type, 'en') as org_type_en,
    word('status', case when status in ('green', 'yellow', 'red') then status else 'none' end, 'sv') as status_sv,
    word('status', case when status in ('green', 'yellow', 'red') then status else 'none' end, 'en') as status_en,
    case when members_covered < members_total then members_covered || '/' || members_total || ' medlemskommuner' end as coverage_sv,
    case when members_covered < members_total then members_covered || '/' || members_total || ' member municipalities' end as coverage_en,
    case when population_year is not null then 'befolkning 31.12.' || population_year
         || case when population_year < year(period_start) then ' (senaste publicerade)' else '' end end as denominator_sv,
    case when population_year is not null then 'population 31 Dec ' || population_year
         || case when population_year < year(period_start) then ' (latest published)' else '' end end as denominator_en,
    phrases(attribution_fi, 'sv') as attribution_sv, phrases(attribution_fi, 'en') as attribution_en,
    unit as unit_fi, coalesce(word('unit', unit, 'sv'), unit) as unit_sv, coalesce(word('unit', unit, 'en'), unit) as unit_en,
    value_fi as value_sv, -- Swedish in Finland writes numbers as Finnish does
    case when value is not null then replace(format('{:,.{}f}', value, coalesce(decimals, 1)), '-', '−') end as value_en
from intermediate.int_scorecard__rows;
