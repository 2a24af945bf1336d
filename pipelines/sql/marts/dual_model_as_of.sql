-- marts.dual_model_as_of: the dual model under the front page's "as of year" rule (marts.scorecard_as_of): for every
-- organisation and as_of_year from the dual model's first year on, its marts.dual_model row of the latest year up
-- to as_of_year (data_year; the scores compare it with its peers of that year). as_of_fi labels the point.
create or replace table marts.dual_model_as_of as
with years as (
    select distinct as_of_year from marts.scorecard_as_of
    where as_of_year >= (select min(year) from marts.dual_model)
)
select y.as_of_year, d.*, d.year as data_year,
       d.org_name_fi || case when d.year < y.as_of_year then ' (' || d.year || ')' else '' end as label_fi,
       d.org_name_sv || case when d.year < y.as_of_year then ' (' || d.year || ')' else '' end as label_sv,
       d.org_name_en || case when d.year < y.as_of_year then ' (' || d.year || ')' else '' end as label_en
from years y
join marts.dual_model d on d.year <= y.as_of_year
qualify row_number() over (partition by y.as_of_year, d.org_id order by d.year desc) = 1;
