-- temp.int_service_use__org_lines: the additive relations (line_id, cell_id, is_total, group_id): an area's month
-- or year = its members' (the areas of one period, specialty and service type form one attacker group, so nested and
-- overlapping areas are tried together); a municipality's or area's year = its months; a municipality's year and an
-- organiser's (temp.su_organisers) month and year: all specialties = the specialties, all service types = the
-- service types.
create or replace temp table int_service_use__org_lines as
with
c as (  -- only the columns the relations read; is_area: an area's (or organiser's) total, no municipality
    select cell_id, org_id, municipality_code, grain, period_start, specialty_code, service_type,
           municipality_code is null as is_area
    from intermediate.int_service_use__org_cells
),
sums as (  -- the totals split by specialty and by service type: a municipality's year, an organiser's month and year
    select * from c
    where grain = 'year' and municipality_code is not null
       or municipality_code is null and org_id in (select org_id from temp.su_organisers)
),
-- the two splits: all specialties = Σ specialties ('s', same service type), all service types = Σ service types
-- ('t', same specialty); `fixed` is the dimension a split keeps, `summed` the one it adds up
totals as (
    select 's' as kind, service_type as fixed, * from sums where specialty_code = 'ALL'
    union all
    select 't', specialty_code, * from sums where service_type = 'ALL'
),
splits as (
    select 's' as kind, service_type as fixed, specialty_code as summed, * from c
    union all
    select 't', specialty_code, service_type, * from c
),
members as (select * from intermediate.int_scorecard__area_members),
entries as (
    -- area = Σ member municipalities (same grain, period, service type)
    select 'a|' || t.cell_id as line_key,
           'a|' || t.grain || '|' || t.period_start || '|' || t.specialty_code || '|' || t.service_type as group_key,
           t.cell_id, true as is_total
    from c t where t.municipality_code is null
    union all
    select 'a|' || t.cell_id, 'a|' || t.grain || '|' || t.period_start || '|' || t.specialty_code || '|' || t.service_type,
           m.cell_id, false
    from c t
    join members a on a.org_id = t.org_id and a.year = year(t.period_start)
    join c m on m.municipality_code = a.municipality_code and m.grain = t.grain and m.period_start = t.period_start
            and m.specialty_code = t.specialty_code and m.service_type = t.service_type
    where t.municipality_code is null
    union all
    -- the district's month and year = Σ municipalities' (one group per period, specialty and service type, like the
    -- areas: the district is both organisers together, so with one organiser's total it gives the other's)
    select 'd|' || t.cell_id, 'a|' || t.grain || '|' || t.period_start || '|' || t.specialty_code || '|' || t.service_type,
           t.cell_id, true
    from c t where t.org_id = 'ALL'
    union all
    select 'd|' || t.cell_id, 'a|' || t.grain || '|' || t.period_start || '|' || t.specialty_code || '|' || t.service_type,
           m.cell_id, false
    from c t join c m on m.grain = t.grain and m.period_start = t.period_start and m.specialty_code = t.specialty_code
                     and m.service_type = t.service_type and m.municipality_code is not null and m.org_id <> 'ALL'
    where t.org_id = 'ALL'
    union all
    -- year = Σ months (same organisation, service type)
    select 'y|' || t.cell_id, 'y|' || t.cell_id, t.cell_id, true from c t where t.grain = 'year'
    union all
    select 'y|' || t.cell_id, 'y|' || t.cell_id, m.cell_id, false
    from c t join c m on m.org_id = t.org_id and m.specialty_code = t.specialty_code and m.service_type = t.service_type
                     and m.grain = 'month' and year(m.period_start) = year(t.period_start)
    where t.grain = 'year'
    union all
    -- a municipality's year, an organiser's month and year: all specialties = Σ specialties ('s'), all service
    -- types = Σ service types ('t'); one equi-join on (kind, fixed) (a join with the dimension in its condition made
    -- ~30 M candidate pairs on a 10-year extract)
    select t.kind || '|' || t.cell_id, t.kind || '|' || t.cell_id, t.cell_id, true from totals t
    union all
    select t.kind || '|' || t.cell_id, t.kind || '|' || t.cell_id, m.cell_id, false
    from totals t
    join splits m on m.kind = t.kind and m.org_id = t.org_id and m.grain = t.grain and m.period_start = t.period_start
                 and m.is_area = t.is_area and m.fixed = t.fixed
    where m.summed <> 'ALL'
)
select cast(dense_rank() over (order by line_key) as double) as line_id,
       cast(dense_rank() over (order by group_key) as double) as group_id,
       cell_id, is_total
from entries
order by line_id, cell_id;

