-- marts.foresight_settings: what the foresight pages say about the method: base year, horizon, the central
-- population variant and rate assumption, every band member, and how many municipalities use the local and the
-- national age profiles. population_fi says which population each year divides by (issue 14): recorded population
-- 31.12. up to last_history_year, the projection's main variant after it; the scorecard's and /toteutus's rates of
-- later years use the latest recorded population instead, and say so ("väestö 31.12.2022 (uusin julkaistu)").
create or replace table marts.foresight_settings as
select s.base_year, s.horizon, s.last_history_year, s.main_variant, s.main_rate_assumption, s.age_profile,
       (select string_agg(distinct variant, ', ' order by variant) from intermediate.int_foresight__population) as variants,
       (select string_agg(distinct label_fi || ' (' || rate_assumption || ')', ', ' order by label_fi || ' (' || rate_assumption || ')')
          from staging.stg_config__rate_assumptions) as rate_assumptions,
       (select count(distinct municipality_code) filter (where profile_source = 'paikallinen')
          from intermediate.int_foresight__profile_choice) as local_profile_municipalities,
       (select count(distinct municipality_code) filter (where profile_source = 'kansallinen')
          from intermediate.int_foresight__profile_choice) as national_profile_municipalities,
       'väestö 31.12. toteutunut vuoteen ' || s.last_history_year || ' asti, vuodesta ' || (s.last_history_year + 1)
         || ' väestöennuste (' || s.main_variant || ')' as population_fi,
       'befolkning 31.12 utfall till och med ' || s.last_history_year || ', från ' || (s.last_history_year + 1)
         || ' befolkningsprognos (' || s.main_variant || ')' as population_sv,
       'population on 31 December, actual up to ' || s.last_history_year || ', from ' || (s.last_history_year + 1)
         || ' the population projection (' || s.main_variant || ')' as population_en
from intermediate.int_foresight__settings s;
