-- marts.unit_data_monthly: the units' own monthly figures (docs/scorecard.md, "Unit data"), small-number protected:
-- feedback with 1..$threshold-1 respondents publishes neither the score nor the respondent count, a queue of
-- 1..$threshold-1 clients publishes neither its length nor its median waiting time; sickness absence and overtime of
-- a small unit (intermediate.int_unit_data__staff_withheld) are NULL, shown only in its service area's total. The first
-- columns are the contract.
create or replace table marts.unit_data_monthly as
select
    d.unit_code, u.name_fi as unit_name_fi, u.service_area_code, a.name_fi as service_area_name_fi,
    a.organisation_code, o.name_fi as organisation_name_fi, u.municipality_code,
    d.month, cast(year(d.month) as integer) as year,
    d.staff_htv,
    case when w.unit_code is null then d.sickness_absence_days end as sickness_absence_days,
    case when w.unit_code is null then d.overtime_hours end as overtime_hours,
    d.training_days, d.visits,
    case when d.queue_length between 1 and $threshold - 1 then null else d.queue_length end as queue_length,
    case when d.queue_length between 1 and $threshold - 1 then null else d.waiting_median_days end as waiting_median_days,
    case when d.feedback_respondents between 1 and $threshold - 1 then null else d.feedback_score end as feedback_score,
    case when d.feedback_respondents between 1 and $threshold - 1 then null else d.feedback_respondents end as feedback_respondents,
    d.queue_length between 1 and $threshold - 1 as is_queue_suppressed,
    d.feedback_respondents between 1 and $threshold - 1 as is_feedback_suppressed,
    case when w.unit_code is null then round(100.0 * d.sickness_absence_days
        / nullif(d.staff_htv * datediff('day', d.month, d.month + interval 1 month), 0), 2) end as sickness_absence_pct,
    case when w.unit_code is null then round(d.overtime_hours / nullif(d.staff_htv, 0), 2) end as overtime_hours_per_htv,
    w.unit_code is not null as is_staff_health_withheld,
    case w.reason
        when 'small' then 'Pienen yksikön sairauspoissaolot ja ylityöt näkyvät vain osana palvelualuetta.'
        when 'complementary' then 'Näytetään vain osana palvelualuetta, jotta pienen yksikön luvut eivät ole laskettavissa.'
    end as staff_health_note_fi,
    d.source_file like '%/data/demo/%' as is_demo,
    d.source_file, d.loaded_at,
    -- Swedish and English: the organisation model's names; units and service areas are proper names (config/
    -- organisation.yaml has them in Finnish only), the note from its wording in each language
    u.name_fi as unit_name_sv, u.name_fi as unit_name_en, a.name_fi as service_area_name_sv, a.name_fi as service_area_name_en,
    coalesce(o.name_sv, o.name_fi) as organisation_name_sv, coalesce(o.name_en, o.name_fi) as organisation_name_en,
    case w.reason
        when 'small' then 'En liten enhets sjukfrånvaro och övertid visas endast som en del av serviceområdet.'
        when 'complementary' then 'Visas endast som en del av serviceområdet, så att en liten enhets siffror inte kan räknas ut.'
    end as staff_health_note_sv,
    case w.reason
        when 'small' then 'A small unit''s sickness absence and overtime show only as part of its service area.'
        when 'complementary' then 'Shown only as part of the service area, so that a small unit''s figures cannot be worked out.'
    end as staff_health_note_en
from staging.stg_unit_data__monthly d
left join intermediate.int_unit_data__staff_withheld w on w.unit_code = d.unit_code and w.month = d.month
left join staging.stg_config__units u on u.unit_code = d.unit_code
left join staging.stg_config__service_areas a on a.service_area_code = u.service_area_code
left join staging.stg_config__organisations o on o.organisation_code = a.organisation_code
order by d.unit_code, d.month;
