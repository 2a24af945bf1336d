-- One commentary file's good lines (temp.cm_typed without the lines of temp.cm_problems) appended to
-- staging.stg_commentary__comments (history: every version kept).
insert into staging.stg_commentary__comments
select case when indicator_id is not null then 'indicator' else 'objective' end, coalesce(indicator_id, objective_id),
       org_id, period, period_type, period_start, kind, author_role, comment_text, comment_date,
       $file, source_line, $load_id, current_timestamp
from temp.cm_typed where source_line not in (select source_line from temp.cm_problems);
