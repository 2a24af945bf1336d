-- The groups of one service-use extract (temp.su_groups: month × municipality × specialty × service type × age
-- group, with the first problem a row had on its own) checked against the code lists: the Statistics Finland
-- municipality key of the month's year (clamped to the years the key has) and the specialty code list ($specialties:
-- its file name, for the reason). bad_column and reason are NULL for a good group.
create or replace temp table su_checked as
with key_years as (select min(year) as first_year, max(year) as last_year from staging.stg_statfi__municipality_years),
municipalities as (select distinct year, municipality_code from staging.stg_statfi__municipality_years)
select g.*,
       least(greatest(year(g.month), y.first_year), y.last_year) as key_year,
       case when g.err_column is not null then g.err_column
            when k.municipality_code is null then 'municipality_code'
            when s.specialty_code is null then 'specialty_code' end as bad_column,
       case when g.err_column is not null then null
            when k.municipality_code is null
            then 'unknown municipality code in the Statistics Finland key of ' || least(greatest(year(g.month), y.first_year), y.last_year)
            when s.specialty_code is null then 'not in the specialty code list (' || $specialties || ')' end as reason
from temp.su_groups g
cross join key_years y
left join municipalities k
  on k.municipality_code = g.municipality_code and k.year = least(greatest(year(g.month), y.first_year), y.last_year)
left join staging.stg_service_use__specialties s on s.specialty_code = g.specialty_code;
