-- marts.scorecard_completeness: for every registry indicator and organisation it is computed for, the periods the
-- registry expects (quality.expected_periods, within the organisation's existence), how many have a value or are
-- withheld, and which are missing. is_complete false = the indicator is reported as incomplete for that organisation.
create or replace table marts.scorecard_completeness as
select
    r.indicator_id, r.org_id, r.org_type, any_value(r.org_name_fi) as org_name_fi,
    any_value(coalesce(r.org_name_sv, r.org_name_fi)) as org_name_sv,
    (select any_value(o.name_en) from intermediate.int_scorecard__orgs o where o.org_id = r.org_id) as org_name_en,
    any_value(r.period_type) as period_type,
    count(*) filter (where r.is_expected)                                    as periods_expected,
    count(*) filter (where r.is_expected and r.is_present)                   as periods_present,
    count(*) filter (where r.is_expected and r.is_suppressed)                as periods_suppressed,
    count(*) filter (where r.is_expected and not r.is_present)               as periods_missing,
    min(r.period_start) filter (where r.is_expected and not r.is_present)    as first_missing,
    max(r.period_start) filter (where r.is_expected and not r.is_present)    as last_missing,
    max(r.period_start) filter (where r.is_present)                          as latest_period,
    count(*) filter (where r.is_expected and not r.is_present) = 0           as is_complete
from intermediate.int_scorecard__rows r
group by r.indicator_id, r.org_id, r.org_type
union all
-- organisations of a listed type that have no row at all (e.g. no periods in range)
select i.indicator_id, o.org_id, o.org_type, o.name_fi, o.name_sv, o.name_en, i.period_type, 0, 0, 0, 0, null, null, null, true
from staging.stg_config__indicators i
join intermediate.int_scorecard__orgs o on list_contains(i.org_types, o.org_type)
anti join intermediate.int_scorecard__rows r on r.indicator_id = i.indicator_id and r.org_id = o.org_id
order by 1, 3, 2;
