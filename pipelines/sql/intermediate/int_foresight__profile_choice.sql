-- intermediate.int_foresight__profile_choice: the profile set of each municipality × specialty × service type of the base
-- year: its own extracts carry age groups and a local profile exists → 'paikallinen', else 'kansallinen'.
create or replace table intermediate.int_foresight__profile_choice as
with
settings as (select * from intermediate.int_foresight__settings),
observed as (
    select y.municipality_code, y.specialty_code, y.service_type, y.has_age
    from intermediate.int_service_use__yearly y, settings s
    where y.year = s.base_year
),
aged as (select municipality_code, bool_and(has_age) as has_age from observed group by municipality_code),
local_combos as (
    select distinct specialty_code, service_type from intermediate.int_foresight__age_profile where profile_source = 'paikallinen'
)
select o.municipality_code, o.specialty_code, o.service_type,
       case when s.age_profile = 'local' and a.has_age and l.specialty_code is not null
            then 'paikallinen' else 'kansallinen' end as profile_source
from observed o
join aged a using (municipality_code)
left join local_combos l using (specialty_code, service_type)
cross join settings s;
