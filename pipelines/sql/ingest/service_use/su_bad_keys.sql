-- The groups of one service-use extract that failed a code-list check (municipality, specialty), for the row-level
-- rejects (read-sql.ts rejectsInsertSql joins the file's rows to them).
create or replace temp table su_bad_keys as
select month, municipality_code, specialty_code, service_type, age_group, bad_column, reason
from temp.su_checked
where err_column is null and bad_column is not null;
