-- temp.plan_norm of a service-agreement file: the typed lines with their codes normalised: a municipality code to
-- three digits (or an area of the organisation model), a specialty group's name to its code (ALL when empty), the
-- service type's label to its code (ALL when empty), the version as an integer.
create or replace temp table plan_norm as
select t.*,
       case when regexp_full_match(municipality_code, '\d{1,3}') then lpad(municipality_code, 3, '0')
            when lower(municipality_code) in (select organisation_code from temp.plan_areas) then lower(municipality_code)
            else municipality_code end as municipality_norm,
       coalesce(g.group_code, upper(specialty_code), 'ALL') as specialty_norm,
       case when t.service_type is null then 'ALL' else s.type_code end as service_type_norm,
       cast(version as integer) as version_norm
from temp.plan_typed t left join temp.plan_types s on s.label = lower(trim(t.service_type))
left join (select distinct group_code, lower(group_name_fi) as group_name from staging.stg_config__specialty_groups) g
  on lower(t.specialty_code) in (g.group_code, g.group_name);
