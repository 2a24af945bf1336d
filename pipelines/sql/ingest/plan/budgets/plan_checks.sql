-- The own checks of a budget file, added to temp.plan_checks (line, column, reason, priority): the organisation model's
-- codes (2), versions (3), a whole-year line beside monthly lines of the same account group (4).
insert into temp.plan_checks
select source_line, 'organisation', 'not an organisation, service area or unit of the organisation model', 2 from temp.plan_norm
  where organisation is not null and organisation not in (select organisation_code from staging.stg_config__organisations
                                                          union all select service_area_code from staging.stg_config__service_areas
                                                          union all select unit_code from staging.stg_config__units)
union all
select n.source_line, 'version', 'version ' || n.version_norm || ' is older than the loaded version ' || s.version || ' of this organisation and year', 3
  from temp.plan_norm n join (select organisation_code, year, max(version) as version from staging.stg_plan__budgets group by all) s
    on s.organisation_code = n.organisation and s.year = n.year where n.version_norm < s.version
union all
select source_line, 'month', 'the account group has both a whole-year line and monthly lines this year', 4
  from (select source_line, month, count(month) over (partition by organisation, year, account_group_norm) as monthly from temp.plan_norm)
  where month is null and monthly > 0;
