-- The own checks of a service-agreement file, added to temp.plan_checks (line, column, reason, priority): codes of the
-- organisation model, the municipality key and the specialty list (2), versions (3).
insert into temp.plan_checks
select source_line, 'organiser', 'not a wellbeing services county of the organisation model', 2 from temp.plan_norm
  where organiser is not null and organiser not in (select organisation_code from staging.stg_config__organisations where organisation_type = 'wellbeing_county')
union all
select source_line, 'municipality_code', 'not a Statistics Finland municipality code nor an area of the organisation model', 2 from temp.plan_norm
  where municipality_norm is not null and municipality_norm not in (select municipality_code from staging.stg_statfi__municipality_years)
    and municipality_norm not in (select organisation_code from temp.plan_areas)
union all
select n.source_line, 'municipality_code', 'an area of the organisation model that is not valid in the line''s year', 2
  from temp.plan_norm n join temp.plan_areas a on a.organisation_code = n.municipality_norm
  where n.year is not null and n.year not between a.first_year and a.last_year
union all
select source_line, 'specialty_code', 'not a code of the specialty list, a specialty group or ALL', 2 from temp.plan_norm
  where specialty_norm <> 'ALL' and specialty_norm not in (select specialty_code from staging.stg_service_use__specialties
                                                          union all select group_code from staging.stg_config__specialty_groups)
union all
select source_line, 'service_type', 'unknown service type', 2 from temp.plan_norm where service_type_text is not null and service_type_norm is null
union all
select source_line, 'cost_eur', 'no ordered amount (visits, care periods, bed days or euros)', 2 from temp.plan_norm
  where visits_text is null and care_periods_text is null and bed_days_text is null and cost_eur_text is null
union all
select source_line, 'version', 'one agreement version per organiser and year in a file (this file also has version ' || v_max || ')', 3
  from (select *, max(version_norm) over (partition by organiser, year) as v_max from temp.plan_norm) where version_norm < v_max
union all
select n.source_line, 'version', 'version ' || n.version_norm || ' is older than the loaded version ' || s.version || ' of this organiser and year', 3
  from temp.plan_norm n join (select organiser, year, max(version) as version from staging.stg_plan__agreements group by all) s
    on s.organiser = n.organiser and s.year = n.year where n.version_norm < s.version;
