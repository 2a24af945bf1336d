-- One unit-data file's good lines (temp.ud_typed without the lines of temp.ud_problems) into
-- staging.stg_unit_data__monthly, replacing the same unit-months; the import reads the first statement's deleted
-- rows as "rows replaced".
delete from staging.stg_unit_data__monthly s
using (select unit_code, month from temp.ud_typed where source_line not in (select source_line from temp.ud_problems)) g
where s.unit_code = g.unit_code and s.month = g.month;

insert into staging.stg_unit_data__monthly
select unit_code, month, staff_htv, sickness_absence_days, overtime_hours, training_days,
       cast(visits as bigint), cast(queue_length as bigint), waiting_median_days, feedback_score,
       cast(feedback_respondents as bigint), $file, source_line, $load_id, current_timestamp
from temp.ud_typed where source_line not in (select source_line from temp.ud_problems);
