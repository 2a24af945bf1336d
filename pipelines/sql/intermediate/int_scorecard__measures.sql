-- The measure layer of the scorecard (docs/scorecard.md, "Measures"): every series an indicator formula may name,
-- long form, one row per measure × organisation × base period (year or month), with
--   is_suppressed     the source withheld the cell (small numbers) or Sotkanet gives no value for a row it has;
--   on_suppressed     'propagate': an aggregate over a withheld cell is withheld too (counts, euros);
--                     'exclude': withheld cells are left out of aggregates on both sides of a ratio (feedback,
--                     waiting times), so an aggregate never contains, and never reveals, a withheld cell;
--   time_aggregation  'sum' (flows: visits, days, euros) or 'avg' (stocks: person-years, population) when an
--                     indicator's period is longer than the base period.
-- Measure ids: sotkanet.<id>, sotkanet_abs.<id>, coverage.sotkanet_present / _expected, population.total,
-- population.year (the year of the population 31.12. used: the latest published one for later years),
-- service_use.<measure>, unit.<measure>; coverage.members_total / members_sotkanet / members_service_use (an area's
-- members, and those a source covers at all) and population.total@service_use (the population of the members the
-- service-use source covers, where that is not all of them: the denominator of service-use rates).
-- Coverage: a member municipality that a source never reports (Simo, in Lappi, is in no Pohjois-Pohjanmaa
-- service-use extract) is left out of the area's value, and the coverage measures say so ("4/5 jäsenkuntaa");
-- a covered member without a row for a period still makes the area's value incomplete (NULL).
-- Adding a measure = one more union branch here; adding an indicator over existing measures needs no SQL.
create or replace table intermediate.int_scorecard__measures as
with
orgs as (select * from intermediate.int_scorecard__orgs),
members as (select * from intermediate.int_scorecard__area_members),
sot as (
    select v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.absolute_value, v.is_missing,
           v.loaded_at, i.value_type, i.is_synthetic, try_cast(i.data_updated as timestamptz) as data_updated
    from staging.stg_sotkanet__values v
    join staging.stg_sotkanet__indicators i using (indicator_id)
    where v.gender = 'total'
),
-- Population 31.12. per municipality; years after the last published one carry the last value forward.
pop_years as (
    select unnest(range((select min(year) from staging.stg_sotkanet__population),
                        greatest((select max(year) from staging.stg_sotkanet__population),
                                 year(current_date), (select last_key_year from staging.region_settings)) + 1))::integer as year
),
municipal_population as (
    select p.municipality_code, y.year, arg_max(p.population, p.year) as population, max(p.year) as population_year
    from pop_years y join staging.stg_sotkanet__population p on p.year <= y.year
    group by p.municipality_code, y.year
),
sot_municipal as (
    select s.*, o.org_id, mp.population
    from sot s
    join orgs o on o.org_type = 'municipality' and o.municipality_code = s.region_code
    left join municipal_population mp on mp.municipality_code = s.region_code and mp.year = s.year
    where s.region_category = 'KUNTA'
),
-- Hospital-district service use per home municipality (current boundaries) and month, all specialties.
su_municipal as (
    select h.municipality_code, h.month, m.measure, m.value,
           h.is_suppressed or (h.is_care_periods_withheld and m.measure in ('inpatient_care_periods', 'bed_days')) as is_suppressed
    from marts.service_use_harmonised h,
    lateral (select * from (values
        ('outpatient_visits', case when h.service_type = 'outpatient_visit' then h.visits end),
        ('inpatient_care_periods', case when h.service_type = 'inpatient_period' then h.care_periods end),
        ('bed_days', case when h.service_type = 'ALL' then h.bed_days end),
        ('cost_eur', case when h.service_type = 'ALL' then cast(h.cost_eur as double) end)) as v(measure, value)) m
    where h.municipality_level = 'municipality' and h.specialty_code = 'ALL'
      and ((h.service_type = 'outpatient_visit' and m.measure = 'outpatient_visits')
        or (h.service_type = 'inpatient_period' and m.measure = 'inpatient_care_periods')
        or (h.service_type = 'ALL' and m.measure in ('bed_days', 'cost_eur')))
),
-- Each area's members per year, and how many of them each source covers at all.
member_coverage as (
    select m.org_id, m.year, count(*) as members_total,
           count(so.municipality_code) as members_sotkanet, count(su.municipality_code) as members_service_use
    from members m
    left join (select distinct region_code as municipality_code from sot where region_category = 'KUNTA') so using (municipality_code)
    left join (select distinct municipality_code from su_municipal) su using (municipality_code)
    group by m.org_id, m.year
),
-- Areas that are not official regions: computed from their members (counts summed, rates as ratio of sums of the
-- absolute counts, other values population-weighted); any member without a value → withheld.
sot_areas as (
    select m.org_id, s.indicator_id, s.year, any_value(s.value_type) as value_type,
           bool_or(s.is_missing) as any_missing,
           count(*) as n, count(s.absolute_value) as n_abs, bool_and(coalesce(s.value <> 0, false)) as all_nonzero,
           count(s.population) as n_pop,
           sum(s.value) as sum_value, sum(s.absolute_value) as sum_abs, sum(s.absolute_value / nullif(s.value, 0)) as sum_den,
           sum(s.value * s.population) / nullif(sum(s.population), 0) as pop_weighted,
           bool_or(s.is_synthetic) as is_synthetic, max(s.loaded_at) as loaded_at, max(s.data_updated) as data_updated,
           any_value(mc.members_sotkanet) as member_count
    from members m
    join orgs o on o.org_id = m.org_id and o.region_category is null
    join sot_municipal s on s.region_code = m.municipality_code and s.year = m.year
    join member_coverage mc on mc.org_id = m.org_id and mc.year = m.year
    group by m.org_id, s.indicator_id, s.year
),
sotkanet as (
    select 'sotkanet.' || indicator_id as measure_id, org_id, year, value, is_missing as is_suppressed,
           is_synthetic, loaded_at, data_updated, absolute_value
    from sot_municipal
    union all
    select 'sotkanet.' || s.indicator_id, o.org_id, s.year, s.value, s.is_missing, s.is_synthetic, s.loaded_at, s.data_updated,
           s.absolute_value
    from sot s join orgs o on o.region_category = s.region_category and o.region_code = s.region_code and o.org_type <> 'municipality'
    union all
    select 'sotkanet.' || indicator_id, org_id, year,
           case when n < member_count or any_missing then null
                when value_type = 'LKM' then sum_value
                when n_abs = n and all_nonzero and value_type not in ('INDEKSI', 'EUROA', 'SUHDE') then sum_abs / sum_den
                when n_pop = n then pop_weighted end,
           n = member_count and any_missing, is_synthetic, loaded_at, data_updated,
           case when n = member_count and n_abs = n then sum_abs end
    from sot_areas
),
-- Coverage of the knowledge base: of the loaded Sotkanet indicators whose series covers the year, how many have a
-- value for the organisation (the competence perspective's "planning and monitoring tools").
coverage as (
    select oy.org_id, oy.year,
           count(*) as expected,
           count(*) filter (where v.has_value) as present,
           max(oy.loaded_at) as loaded_at, max(oy.data_updated) as data_updated, bool_or(oy.is_synthetic) as is_synthetic
    from (select org_id, year, max(loaded_at) as loaded_at, max(data_updated) as data_updated, bool_or(is_synthetic) as is_synthetic
          from sotkanet group by org_id, year) oy
    join staging.stg_sotkanet__indicators i
      on oy.year between coalesce(i.range_start, 1900) and coalesce(i.range_end, 9999)
    left join (select org_id, year, measure_id, bool_or(value is not null) as has_value from sotkanet group by all) v
      on v.org_id = oy.org_id and v.year = oy.year and v.measure_id = 'sotkanet.' || i.indicator_id
    group by oy.org_id, oy.year
),
population as (
    select mp.municipality_code, mp.year, mp.population, mp.population_year from municipal_population mp
),
-- population_year: the year of the population 31.12. used (years after the last published one carry it forward).
population_orgs as (
    select o.org_id, p.year, p.population::double as value, p.population_year
    from orgs o join population p on p.municipality_code = o.municipality_code where o.org_type = 'municipality'
    union all
    select m.org_id, m.year, sum(p.population)::double, max(p.population_year)
    from members m join population p on p.municipality_code = m.municipality_code and p.year = m.year
    group by m.org_id, m.year
    having count(*) = (select count(*) from members m2 where m2.org_id = m.org_id and m2.year = m.year)
),
-- The population of the members the service-use source covers, where that is not all of them.
population_service_use as (
    select m.org_id, m.year, sum(p.population)::double as value
    from members m
    join (select distinct municipality_code from su_municipal) su using (municipality_code)
    join population p on p.municipality_code = m.municipality_code and p.year = m.year
    join member_coverage mc on mc.org_id = m.org_id and mc.year = m.year
    where mc.members_service_use between 1 and mc.members_total - 1
    group by m.org_id, m.year
    having count(*) = any_value(mc.members_service_use)
),
population_loaded as (select max(loaded_at) as loaded_at from staging.stg_sotkanet__indicators where indicator_id = 127),
-- Hospital-district service use per municipality and area (current boundaries), month and complete year, all
-- specialties: the cells of the disclosure step (intermediate.int_service_use__org_cells), each protected as a cell of its
-- own; an area's or a year's total is computed from the unprotected cells, so a withheld member does not withhold it.
su_loads as (select max(loaded_at) as loaded_at, bool_and(source_file like '%/data/demo/%') as is_demo
             from ops.service_use_loads where status = 'loaded'),
service_use as (
    select 'service_use.' || m.measure as measure_id, c.org_id, c.grain, c.period_start,
           case when c.suppressed or m.is_care then null else m.value end as value, c.suppressed or m.is_care as is_suppressed
    from intermediate.int_service_use__org_cells c,
    lateral (select measure, value, c.care_withheld and measure in ('inpatient_care_periods', 'bed_days') as is_care from (values
        ('outpatient_visits', case when c.service_type = 'outpatient_visit' then cast(c.visits as double) end),
        ('inpatient_care_periods', case when c.service_type = 'inpatient_period' then cast(c.care_periods as double) end),
        ('bed_days', case when c.service_type = 'ALL' then cast(c.bed_days as double) end),
        ('cost_eur', case when c.service_type = 'ALL' then c.cost_eur end)) as v(measure, value)) m
    where c.specialty_code = 'ALL'
      and ((c.service_type = 'outpatient_visit' and m.measure = 'outpatient_visits')
        or (c.service_type = 'inpatient_period' and m.measure = 'inpatient_care_periods')
        or (c.service_type = 'ALL' and m.measure in ('bed_days', 'cost_eur')))
),
-- Plans against actual (docs/plan.md), euros per year: the organiser's agreement and published actual to date
-- (all specialties and service types), and the specialist-care budget (account group erikoissairaanhoito) with the
-- year-end forecast of an organisation or service area; a county's budget adds its service areas' lines.
plan_measures as (
    select 'plan.' || m.measure as measure_id, f.organiser as org_id, f.year, m.value, f.is_withheld and m.measure <> 'agreement_cost_eur_ytd' as is_suppressed, f.is_demo
    from marts.plan_forecast f,
    lateral (values ('agreement_cost_eur_ytd', f.plan_ytd), ('actual_cost_eur_ytd', f.actual_ytd), ('forecast_cost_eur', f.forecast)) m(measure, value)
    where f.municipality_level = 'county' and f.specialty_code = 'ALL' and f.service_type = 'ALL' and f.measure = 'cost_eur'
    union all
    select 'plan.forecast_cost_eur', b.organisation_code, b.year, b.forecast, b.is_withheld, coalesce(b.is_demo, false)
    from marts.budget_vs_actual b
    where b.account_group = 'erikoissairaanhoito' and b.organisation_code <> b.organiser
    union all
    select 'plan.budget_eur', o.org_id, b.year, sum(b.budget_year), false, bool_or(coalesce(b.is_demo, false))
    from marts.budget_vs_actual b
    join (select organisation_code as org_id, organisation_code as member from marts.budget_vs_actual
          union select organiser, organisation_code from marts.budget_vs_actual) o on o.member = b.organisation_code
    where b.account_group = 'erikoissairaanhoito'
    group by o.org_id, b.year
),
-- The organisation's own unit data: per unit and month, then summed to service areas and counties.
unit_loads as (select max(loaded_at) as loaded_at from ops.unit_data_loads where status = 'loaded'),
unit_months as (
    select d.*, cast(datediff('day', d.month, d.month + interval 1 month) as double) as days_in_month
    from staging.stg_unit_data__monthly d
),
unit_expected as (
    -- Months each unit should have reported: its validity up to the last month any unit reported.
    select o.org_id as unit_code, cast(m.month as date) as month
    from orgs o,
    lateral (select unnest(generate_series(
        date_trunc('month', greatest(coalesce(o.valid_from, (select min(month) from unit_months)), (select min(month) from unit_months))),
        least(coalesce(o.valid_to, date '9999-12-31'), (select max(month) from unit_months)),
        interval 1 month)) as month) m
    where o.org_type = 'unit' and (select count(*) from unit_months) > 0
),
unit_cells as (
    -- own_withheld: a small unit's staff health figure, shown only in its service area's total
    -- (intermediate.int_unit_data__staff_withheld): withheld on the unit's own row, summed into its service area.
    select d.unit_code, d.month, v.measure, v.value, v.is_suppressed, v.on_suppressed, v.time_aggregation, d.loaded_at,
           v.measure in ('sickness_absence_days', 'overtime_hours') and w.unit_code is not null as own_withheld
    from unit_months d
    left join intermediate.int_unit_data__staff_withheld w on w.unit_code = d.unit_code and w.month = d.month,
    lateral (select * from (values
        ('staff_htv', d.staff_htv, false, 'propagate', 'avg'),
        ('staff_days', d.staff_htv * d.days_in_month, false, 'propagate', 'sum'),
        ('sickness_absence_days', d.sickness_absence_days, false, 'propagate', 'sum'),
        ('overtime_hours', d.overtime_hours, false, 'propagate', 'sum'),
        ('training_days', d.training_days, false, 'propagate', 'sum'),
        ('visits', cast(d.visits as double), false, 'propagate', 'sum'),
        ('queue_length', cast(d.queue_length as double), d.queue_length between 1 and $threshold - 1, 'propagate', 'avg'),
        ('waiting_weighted_days', d.waiting_median_days * d.queue_length, d.queue_length between 1 and $threshold - 1, 'exclude', 'sum'),
        ('waiting_weight', case when d.waiting_median_days is not null then cast(d.queue_length as double) end,
            d.queue_length between 1 and $threshold - 1, 'exclude', 'sum'),
        ('feedback_points', d.feedback_score * d.feedback_respondents, d.feedback_respondents between 1 and $threshold - 1, 'exclude', 'sum'),
        ('feedback_respondents', cast(d.feedback_respondents as double), d.feedback_respondents between 1 and $threshold - 1, 'exclude', 'sum'),
        ('reported_months', 1.0, false, 'propagate', 'sum'))
        as v(measure, value, is_suppressed, on_suppressed, time_aggregation)) v
    union all
    select e.unit_code, e.month, 'expected_months', 1.0, false, 'propagate', 'sum', null, false
    from unit_expected e
    union all
    select e.unit_code, e.month, 'reported_months', 0.0, false, 'propagate', 'sum', null, false
    from unit_expected e anti join unit_months d on d.unit_code = e.unit_code and d.month = e.month
),
unit_tree as (
    select org_id as unit_code, org_id from orgs where org_type = 'unit'
    union all
    select a.org_id, a.ancestor_id from intermediate.int_scorecard__org_ancestors a
    join orgs o on o.org_id = a.org_id and o.org_type = 'unit'
    where a.depth > 0
),
-- How many of an organisation's units should have reported in a month, and how many did: a sum over units that
-- lacks a unit is incomplete (NULL), except for the 'exclude' ratios, which are built from the units there are.
unit_coverage as (
    select t.org_id, e.month, count(*) as units_expected, count(d.unit_code) as units_reported
    from unit_expected e
    join unit_tree t on t.unit_code = e.unit_code
    left join unit_months d on d.unit_code = e.unit_code and d.month = e.month
    group by t.org_id, e.month
),
unit_measures as (
    select 'unit.' || c.measure as measure_id, t.org_id, c.month,
           case when bool_or(c.own_withheld and t.org_id = c.unit_code) then null
                when any_value(c.on_suppressed) = 'exclude' then sum(c.value) filter (where not c.is_suppressed)
                when bool_or(c.is_suppressed) then null
                when c.measure not in ('reported_months', 'expected_months')
                 and coalesce(any_value(uc.units_reported), 0) < coalesce(any_value(uc.units_expected), 0) then null
                else sum(c.value) end as value,
           bool_or(c.own_withheld and t.org_id = c.unit_code)
             or case when any_value(c.on_suppressed) = 'exclude' then bool_and(c.is_suppressed) else bool_or(c.is_suppressed) end as is_suppressed,
           any_value(c.on_suppressed) as on_suppressed, any_value(c.time_aggregation) as time_aggregation,
           max(c.loaded_at) as loaded_at
    from unit_cells c join unit_tree t using (unit_code)
    left join unit_coverage uc on uc.org_id = t.org_id and uc.month = c.month
    group by c.measure, t.org_id, c.month
)
select measure_id, org_id, 'year' as grain, make_date(year, 1, 1) as period_start, value, is_suppressed,
       'propagate' as on_suppressed, 'avg' as time_aggregation, data_updated as source_updated_at, loaded_at,
       is_synthetic as is_demo, 'THL / Sotkanet' as source
from sotkanet
union all
select 'sotkanet_abs.' || split_part(measure_id, '.', 2), org_id, 'year', make_date(year, 1, 1), absolute_value,
       is_suppressed and absolute_value is null, 'propagate', 'sum', data_updated, loaded_at, is_synthetic, 'THL / Sotkanet'
from sotkanet where absolute_value is not null or is_suppressed
union all
select 'coverage.sotkanet_' || m.measure, c.org_id, 'year', make_date(c.year, 1, 1),
       case m.measure when 'present' then c.present else c.expected end, false, 'propagate', 'sum',
       c.data_updated, c.loaded_at, c.is_synthetic, 'THL / Sotkanet'
from coverage c cross join (values ('present'), ('expected')) m(measure)
union all
select 'population.total', org_id, 'year', make_date(year, 1, 1), value, false, 'propagate', 'avg',
       (select loaded_at from population_loaded), (select loaded_at from population_loaded), false, 'THL / Sotkanet, Tilastokeskus'
from population_orgs
union all
select 'population.year', org_id, 'year', make_date(year, 1, 1), population_year::double, false, 'propagate', 'avg',
       (select loaded_at from population_loaded), (select loaded_at from population_loaded), false, 'THL / Sotkanet, Tilastokeskus'
from population_orgs
union all
select 'population.total@service_use', org_id, 'year', make_date(year, 1, 1), value, false, 'propagate', 'avg',
       (select loaded_at from population_loaded), (select loaded_at from population_loaded), false, 'THL / Sotkanet, Tilastokeskus'
from population_service_use
union all
select 'coverage.members_' || v.source, c.org_id, 'year', make_date(c.year, 1, 1), v.n::double, false, 'propagate', 'avg',
       null, null, false, 'Organisaatiomalli'
from member_coverage c,
lateral (values ('total', c.members_total), ('sotkanet', c.members_sotkanet), ('service_use', c.members_service_use)) v(source, n)
union all
select measure_id, org_id, case grain when 'year' then 'year_total' else 'month' end, cast(period_start as date), value,
       is_suppressed, 'propagate', 'sum',
       (select loaded_at from su_loads), (select loaded_at from su_loads), coalesce((select is_demo from su_loads), false),
       'Sairaanhoitopiirin palvelukäyttö'
from service_use
union all
select measure_id, org_id, 'year', make_date(year, 1, 1), case when is_suppressed then null else value end, is_suppressed,
       'propagate', 'sum', (select max(loaded_at) from ops.plan_loads where status = 'loaded'),
       (select max(loaded_at) from ops.plan_loads where status = 'loaded'), is_demo, 'Palvelusopimukset ja talousarviot'
from plan_measures
union all
select measure_id, org_id, 'month', cast(month as date), value, is_suppressed, on_suppressed, time_aggregation,
       loaded_at, coalesce(loaded_at, (select loaded_at from unit_loads)),
       coalesce((select bool_and(source_file like '%/data/demo/%') from staging.stg_unit_data__monthly), false),
       'Yksiköiden omat tiedot'
from unit_measures;
