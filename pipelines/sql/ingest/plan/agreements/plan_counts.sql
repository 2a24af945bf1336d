-- The counts of a service-agreement file (a query, no table): lines read and rejected, the staging lines its periods
-- (organiser × year) replace, and those periods with their versions.
select (select count(*) from temp.plan_raw) as read, (select count(*) from temp.plan_problems) as rejected,
       (select count(*) from staging.stg_plan__agreements s where (s.organiser, s.year) in (select (organiser, year) from temp.plan_good)) as replaced,
       (select string_agg(distinct organiser || ' ' || cast(year as integer) || ' v' || version_norm,
                          ', ' order by organiser || ' ' || cast(year as integer) || ' v' || version_norm) from temp.plan_good) as periods;
