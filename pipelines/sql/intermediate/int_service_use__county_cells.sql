-- intermediate.int_service_use__county_cells: the organisers' totals of service use per month × wellbeing services county
-- × specialty (or 'ALL') × service type (or 'ALL'). The organiser of a municipality is the wellbeing services county
-- it belongs to (config/organisation.yaml, members of each year, current boundaries; before 2023 the county's area
-- stands for the hospital district that organised the care), so Pohjois-Pohjanmaa and Kainuu are never added together.
-- Never a number the disclosure step did not allow: a county's month is the protected area cell of the disclosure
-- step (intermediate.int_service_use__org_cells, all specialties) where one exists, otherwise the sum of its members' cells
-- when none of them is withheld (a sum of published cells); else every value is NULL and is_suppressed is true.
-- Care periods and bed days alone may be withheld (care_withheld: the protected cell withheld them, or a summed
-- member did). Patients only when no member is withheld (a patient count is never a protected area cell). Population: the sum of
-- the members' population of the same rule as their own rates (intermediate.int_service_use__area_population).
create or replace table intermediate.int_service_use__county_cells as
with
counties as (
    select organisation_code as county_org_id, name_fi as county_name_fi
    from staging.stg_config__organisations where organisation_type = 'wellbeing_county'
),
county_of as (  -- the county of each municipality code of the data, per year
    select distinct a.year, m.municipality_code, a.org_id as county_org_id
    from temp.su_municipality_map m
    join intermediate.int_scorecard__area_members a on a.municipality_code = m.harmonised_code
    join counties k on k.county_org_id = a.org_id
),
members as (
    select c.month, k.county_org_id, c.specialty_code, c.service_type,
           count(*) filter (where c.suppressed) as withheld_members,
           count(*) filter (where c.care_withheld) as care_withheld_members,
           sum(c.visits) as visits, sum(c.care_periods) as care_periods, sum(c.bed_days) as bed_days,
           case when count(c.patients) = count(*) then sum(c.patients) end as patients,
           sum(cast(c.cost_eur as double)) as cost_eur
    from intermediate.int_service_use__cells c
    join county_of k on k.municipality_code = c.municipality_code and k.year = year(c.month)
    where c.municipality_level = 'municipality'
    group by all
),
population as (
    select k.county_org_id, p.year, sum(p.population) as population, any_value(p.population_year) as population_year
    from intermediate.int_service_use__area_population p
    join county_of k on k.municipality_code = p.municipality_code and k.year = p.year
    where p.municipality_level = 'municipality'
    group by all
),
protected as (
    select org_id as county_org_id, period_start as month, specialty_code, service_type, visits, care_periods,
           bed_days, cost_eur, suppressed, care_withheld
    from intermediate.int_service_use__org_cells
    where grain = 'month' and municipality_code is null and org_id in (select county_org_id from counties)
),
t as (
    select m.*, p.month is not null as is_protected_cell,
           case when p.month is not null then not p.suppressed else m.withheld_members = 0 end as is_shown,
           case when p.month is not null then p.care_withheld else m.care_withheld_members > 0 end as is_care_withheld,
           p.visits as p_visits, p.care_periods as p_care_periods, p.bed_days as p_bed_days, p.cost_eur as p_cost_eur
    from members m
    left join protected p using (county_org_id, month, specialty_code, service_type)
)
select t.month, t.county_org_id, k.county_name_fi, t.specialty_code, t.service_type,
       case when not is_shown then null when is_protected_cell then p_visits else visits end             as visits,
       case when not is_shown or is_care_withheld then null
            when is_protected_cell then p_care_periods else care_periods end                            as care_periods,
       case when not is_shown or is_care_withheld then null
            when is_protected_cell then p_bed_days else bed_days end                                    as bed_days,
       case when is_shown and withheld_members = 0 then patients end                                    as patients,
       case when not is_shown then null when is_protected_cell then p_cost_eur else cost_eur end         as cost_eur,
       not is_shown                                                                                      as suppressed,
       is_shown and is_care_withheld                                                                     as care_withheld,
       case when not is_shown then 'county' end                                                          as suppression,
       pop.population, pop.population_year
from t
join counties k using (county_org_id)
left join population pop on pop.county_org_id = t.county_org_id and pop.year = year(t.month);
