-- One commentary file (raw.commentary_file, every cell text) typed and checked: temp.cm_typed (one row per line) and
-- temp.cm_problems (one row per line and faulty column, with the reason; never the comment's text). A line with any
-- problem is rejected whole. Known subjects and organisations come from temp.cm_known_indicators and
-- temp.cm_known_orgs (the registry and the organisation model, read by pipelines/commentary/import.ts).
create or replace temp table cm_typed as
select
    source_line,
    nullif(trim(indicator_id), '')                                         as indicator_id,
    nullif(trim(objective_id), '')                                         as objective_id,
    nullif(trim(org_id), '')                                               as org_id,
    nullif(trim(period), '')                                               as period,
    case when regexp_full_match(trim(period), '\d{4}') then 'year'
         when regexp_full_match(trim(period), '\d{4}-(0[1-9]|1[0-2])') then 'month' end as period_type,
    case when regexp_full_match(trim(period), '\d{4}') then make_date(cast(trim(period) as integer), 1, 1)
         when regexp_full_match(trim(period), '\d{4}-(0[1-9]|1[0-2])') then cast(trim(period) || '-01' as date) end as period_start,
    nullif(lower(trim(kind)), '')                                          as kind,
    nullif(trim(author_role), '')                                          as author_role,
    nullif(trim(text), '')                                                 as comment_text,
    nullif(trim(date), '')                                                 as date_text,
    coalesce(try_strptime(trim(date), '%Y-%m-%d'), try_strptime(trim(date), '%d.%m.%Y'))::date as comment_date
from raw.commentary_file;

create or replace temp table cm_problems as
with t as (select * from temp.cm_typed)
select source_line, 'indicator_id' as column_name, 'missing: give indicator_id or objective_id' as reason, null as raw_value
from t where indicator_id is null and objective_id is null
union all
select source_line, 'objective_id', 'give either indicator_id or objective_id, not both', objective_id
from t where indicator_id is not null and objective_id is not null
union all
select source_line, 'indicator_id', 'not an indicator of the registry (config/indicators.yaml)', indicator_id
from t where indicator_id is not null and indicator_id not in (select id from temp.cm_known_indicators)
union all
select source_line, 'objective_id', 'not an objective id (lower-case letters, digits, - and _)', objective_id
from t where objective_id is not null and not regexp_full_match(objective_id, '[a-z0-9][a-z0-9_-]*')
union all
select source_line, 'org_id', 'missing', null from t where org_id is null
union all
select source_line, 'org_id', 'not an organisation of the organisation model (config/organisation.yaml) nor kunta-<code>', org_id
from t where org_id is not null and org_id not in (select id from temp.cm_known_orgs) and not regexp_full_match(org_id, 'kunta-\d{3}')
union all
select source_line, 'period', 'missing', null from t where period is null
union all
select source_line, 'period', 'not a period YYYY or YYYY-MM', period from t where period is not null and period_start is null
union all
select source_line, 'period', 'after the current month', period from t where period_start > current_date
union all
select source_line, 'kind', 'missing', null from t where kind is null
union all
select source_line, 'kind', 'not one of analyysi, johtopäätös, kehittämishaaste, toimenpide', kind
from t where kind is not null and kind not in ('analyysi', 'johtopäätös', 'kehittämishaaste', 'toimenpide')
union all
select source_line, 'author_role', 'missing', null from t where author_role is null
union all
select source_line, 'author_role', 'longer than 200 characters', null from t where length(author_role) > 200
union all
select source_line, 'text', 'missing', null from t where comment_text is null
union all
select source_line, 'text', 'longer than 4000 characters', null from t where length(comment_text) > 4000
union all
select source_line, 'date', 'missing', null from t where date_text is null
union all
select source_line, 'date', 'not a date YYYY-MM-DD or D.M.YYYY', date_text from t where date_text is not null and comment_date is null
union all
select source_line, 'date', 'in the future', date_text from t where comment_date > current_date;
