-- marts.foresight_settings: what the foresight pages say about the method: base year, horizon, the central
-- population variant and rate assumption, every band member, and where the age profiles came from.
create or replace table marts.foresight_settings as
select s.base_year, s.horizon, s.last_history_year, s.main_variant, s.main_rate_assumption, s.age_profile,
       (select string_agg(distinct variant, ', ' order by variant) from staging.int_foresight__population) as variants,
       (select string_agg(distinct label_fi || ' (' || rate_assumption || ')', ', ' order by label_fi || ' (' || rate_assumption || ')')
          from staging.stg_config__rate_assumptions) as rate_assumptions,
       (select count(*) filter (where profile_source = 'paikallinen') from
           (select distinct specialty_code, service_type, profile_source from staging.int_foresight__age_profile)) as local_profiles,
       (select count(*) filter (where profile_source = 'kansallinen') from
           (select distinct specialty_code, service_type, profile_source from staging.int_foresight__age_profile)) as national_profiles
from staging.int_foresight__settings s;
