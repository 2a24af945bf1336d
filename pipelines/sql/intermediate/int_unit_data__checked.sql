-- One unit-data file (raw.unit_data_file, every cell text) typed and checked: temp.ud_typed (one row per line) and
-- temp.ud_problems (one row per line and faulty column, with the reason). A line with any problem is rejected
-- whole. Checks: unit known and the month inside its validity, month YYYY-MM not before $earliest_month nor after
-- $latest_month, numbers numeric and in range, integers whole, feedback score 1-5 with respondents, one row per
-- unit and month in a file.
create or replace temp table ud_typed as
select
    source_line,
    nullif(trim(unit_code), '')                                            as unit_code,
    nullif(trim(month), '')                                                as month_text,
    case when regexp_full_match(trim(month), '\d{4}-(0[1-9]|1[0-2])') then cast(trim(month) || '-01' as date) end as month,
    nullif(trim(staff_htv), '') as staff_htv_text,                         try_cast(nullif(trim(staff_htv), '') as double) as staff_htv,
    nullif(trim(sickness_absence_days), '') as sickness_absence_days_text, try_cast(nullif(trim(sickness_absence_days), '') as double) as sickness_absence_days,
    nullif(trim(overtime_hours), '') as overtime_hours_text,               try_cast(nullif(trim(overtime_hours), '') as double) as overtime_hours,
    nullif(trim(training_days), '') as training_days_text,                 try_cast(nullif(trim(training_days), '') as double) as training_days,
    nullif(trim(visits), '') as visits_text,                               try_cast(nullif(trim(visits), '') as double) as visits,
    nullif(trim(queue_length), '') as queue_length_text,                   try_cast(nullif(trim(queue_length), '') as double) as queue_length,
    nullif(trim(waiting_median_days), '') as waiting_median_days_text,     try_cast(nullif(trim(waiting_median_days), '') as double) as waiting_median_days,
    nullif(trim(feedback_score), '') as feedback_score_text,               try_cast(nullif(trim(feedback_score), '') as double) as feedback_score,
    nullif(trim(feedback_respondents), '') as feedback_respondents_text,   try_cast(nullif(trim(feedback_respondents), '') as double) as feedback_respondents
from raw.unit_data_file;

create or replace temp table ud_problems as
with t as (select * from temp.ud_typed),
units as (select * from staging.stg_config__units),
numeric_checks as (
    select source_line, col, txt, val, min_value, must_be_integer, strict_min
    from t,
    (values ('staff_htv', 0.0, false, true), ('sickness_absence_days', 0.0, false, false), ('overtime_hours', 0.0, false, false),
            ('training_days', 0.0, false, false), ('visits', 0.0, true, false), ('queue_length', 0.0, true, false),
            ('waiting_median_days', 0.0, false, false), ('feedback_score', 1.0, false, false), ('feedback_respondents', 0.0, true, false))
        as c(col, min_value, must_be_integer, strict_min),
    lateral (select
        case c.col when 'staff_htv' then t.staff_htv_text when 'sickness_absence_days' then t.sickness_absence_days_text
             when 'overtime_hours' then t.overtime_hours_text when 'training_days' then t.training_days_text
             when 'visits' then t.visits_text when 'queue_length' then t.queue_length_text
             when 'waiting_median_days' then t.waiting_median_days_text when 'feedback_score' then t.feedback_score_text
             else t.feedback_respondents_text end as txt,
        case c.col when 'staff_htv' then t.staff_htv when 'sickness_absence_days' then t.sickness_absence_days
             when 'overtime_hours' then t.overtime_hours when 'training_days' then t.training_days
             when 'visits' then t.visits when 'queue_length' then t.queue_length
             when 'waiting_median_days' then t.waiting_median_days when 'feedback_score' then t.feedback_score
             else t.feedback_respondents end as val)
)
select source_line, 'unit_code' as column_name, 'missing' as reason, unit_code as raw_value from t where unit_code is null
union all
select t.source_line, 'unit_code', 'not a unit in the organisation model (units:)', t.unit_code
from t left join units u on u.unit_code = t.unit_code where t.unit_code is not null and u.unit_code is null
union all
select source_line, 'month', 'missing', month_text from t where month_text is null
union all
select source_line, 'month', 'not a month YYYY-MM', month_text from t where month_text is not null and month is null
union all
select source_line, 'month', 'before the earliest accepted month ' || $earliest_month, month_text
from t where month < cast($earliest_month || '-01' as date)
union all
select source_line, 'month', 'after the current month ' || $latest_month, month_text
from t where month > cast($latest_month || '-01' as date)
union all
select t.source_line, 'month', 'outside the unit''s validity ' || coalesce(strftime(u.valid_from, '%Y-%m'), '…') || '..' || coalesce(strftime(u.valid_to, '%Y-%m'), '…'), t.month_text
from t join units u on u.unit_code = t.unit_code
where t.month is not null
  and (t.month < date_trunc('month', coalesce(u.valid_from, date '1900-01-01')) or t.month > coalesce(u.valid_to, date '9999-12-31'))
union all
select source_line, col, 'not a number (decimal point, no thousands separator)', txt from numeric_checks where txt is not null and val is null
union all
select source_line, col, case when strict_min then 'must be above ' else 'must be at least ' end || cast(min_value as integer), txt
from numeric_checks where val is not null and (val < min_value or (strict_min and val <= min_value))
union all
select source_line, col, 'must be a whole number', txt from numeric_checks where val is not null and must_be_integer and val <> floor(val)
union all
select source_line, 'feedback_score', 'must be at most 5 (the 1-5 scale)', feedback_score_text from t where feedback_score > 5
union all
select source_line, 'feedback_respondents', 'a feedback score needs its respondent count (at least 1)', feedback_respondents_text
from t where feedback_score is not null and coalesce(feedback_respondents, 0) < 1 and (feedback_respondents_text is null or feedback_respondents is not null)
union all
select source_line, 'month', 'the unit and month appear already on line ' || first_line, month_text
from (select source_line, month_text, min(source_line) over (partition by unit_code, month) as first_line from t where unit_code is not null and month is not null)
where source_line > first_line;
