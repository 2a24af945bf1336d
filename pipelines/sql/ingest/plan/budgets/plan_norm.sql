-- temp.plan_norm of a budget file: the typed lines with the account group in lower case and the version (1 when
-- empty) as an integer.
create or replace temp table plan_norm as
select *, lower(trim(account_group)) as account_group_norm, cast(coalesce(version, 1) as integer) as version_norm
from temp.plan_typed;
