-- The counts of a budget file (a query, no table): lines read and rejected, the staging lines its periods
-- (organisation × year) replace, and those periods with their versions.
select (select count(*) from temp.plan_raw) as read, (select count(*) from temp.plan_problems) as rejected,
       (select count(*) from staging.stg_plan__budgets s where (s.organisation_code, s.year) in (select (organisation, year) from temp.plan_good)) as replaced,
       (select string_agg(distinct organisation || ' ' || cast(year as integer) || ' v' || version_norm,
                          ', ' order by organisation || ' ' || cast(year as integer) || ' v' || version_norm) from temp.plan_good) as periods;
