-- The scorecard computed from the registry (docs/scorecard.md): one row per indicator × organisation × period.
-- Inputs: staging.stg_config__indicators / __targets (the registry and targets files), intermediate.int_scorecard__orgs,
-- __org_ancestors and __measures. marts.scorecard is the public view over this table.
create or replace table intermediate.int_scorecard__rows as
with
ind as (select * from staging.stg_config__indicators),
orgs as (select * from intermediate.int_scorecard__orgs),
measures as (select * from intermediate.int_scorecard__measures),
-- The base rows each indicator uses: role num (measure or numerator) and den (denominator). Where the numerator's
-- source covers only part of an area's members, the denominator over those members (population.total@service_use)
-- replaces the whole area's.
inputs as (
    select i.indicator_id, r.role, m.*,
           -- a yearly total of its own (grain 'year_total': service use, protected as a cell of its own) replaces
           -- the sum of its months in yearly periods
           bool_or(m.grain = 'year_total') over (partition by i.indicator_id, r.role, m.org_id, year(m.period_start)) as has_year_total
    from ind i
    cross join (values ('num'), ('den')) r(role),
    lateral (select unnest(case r.role when 'num' then [i.numerator_measure]
                           else [i.denominator_measure, i.denominator_measure || '@' || split_part(i.numerator_measure, '.', 1)] end) as wanted) w
    join measures m on m.measure_id = w.wanted
    qualify rank() over (partition by i.indicator_id, r.role, m.org_id, m.grain, m.period_start order by m.measure_id like '%@%' desc) = 1
),
-- Of an area's members in a year, how many the indicator's source covers (NULL for sources that are not per member).
member_coverage as (
    select i.indicator_id, c.org_id, c.period_start, t.value as members_total, c.value as members_covered
    from ind i
    join measures c on c.measure_id = 'coverage.members_' || case split_part(i.numerator_measure, '.', 1)
        when 'sotkanet_abs' then 'sotkanet' else split_part(i.numerator_measure, '.', 1) end
    join measures t on t.measure_id = 'coverage.members_total' and t.org_id = c.org_id and t.period_start = c.period_start
),
-- Periods: the expected range of the registry (to: NULL = the latest period with data) and any period with data.
data_periods as (
    select i.indicator_id, date_trunc(i.period_type, x.period_start)::date as period_start
    from ind i join inputs x on x.indicator_id = i.indicator_id and x.role = 'num'
    where x.grain = 'month' or i.period_type = 'year'
    group by all
),
bounds as (
    select i.indicator_id, i.period_type, i.expected_from,
           coalesce(i.expected_to, (select max(period_start) from data_periods d where d.indicator_id = i.indicator_id), i.expected_from) as expected_to,
           case i.period_type when 'year' then interval 1 year when 'quarter' then interval 3 month
                when 'month' then interval 1 month else interval 7 day end as step
    from ind i
),
expected_periods as (
    select b.indicator_id, cast(unnest(generate_series(b.expected_from, b.expected_to, b.step)) as date) as period_start
    from bounds b where b.expected_to >= b.expected_from
),
periods as (
    select indicator_id, period_start, true as is_expected from expected_periods
    union all
    select d.indicator_id, d.period_start, false from data_periods d
    anti join expected_periods e using (indicator_id, period_start)
),
-- Organisations each indicator is computed for, in the periods they exist (a county's history is shown on its
-- current boundaries; collaboration areas only while they existed).
grid as (
    select i.indicator_id, i.period_type, p.period_start, p.is_expected,
           (p.period_start + b.step)::date as period_end_excl, b.step, o.org_id, o.org_type,
           -- months of the period the organisation exists in (a unit that closes in June has a six-month year)
           datediff('month',
               case when o.org_type in ('wellbeing_county', 'municipality') or o.valid_from is null then p.period_start
                    else greatest(p.period_start, date_trunc('month', o.valid_from)::date) end,
               case when o.org_type in ('wellbeing_county', 'municipality') or o.valid_to is null then (p.period_start + b.step)::date
                    else least((p.period_start + b.step)::date, (date_trunc('month', o.valid_to) + interval 1 month)::date) end) as months_in_scope
    from ind i
    join bounds b using (indicator_id)
    join periods p using (indicator_id)
    join orgs o on list_contains(i.org_types, o.org_type)
    where (o.org_type in ('wellbeing_county', 'municipality') or o.valid_from is null or (p.period_start + b.step)::date > o.valid_from)
      and (o.org_type = 'municipality' or o.valid_to is null or p.period_start <= o.valid_to)
),
-- Base rows into the indicator's period: months summed (flows) or averaged (stocks) into longer periods; a
-- yearly stock (population) repeated for each shorter period of its year.
agg as (
    select g.indicator_id, g.org_id, g.period_start, x.role,
           any_value(x.on_suppressed) as on_suppressed,
           count(*) as base_rows,
           count(*) filter (where x.is_suppressed) as suppressed_rows,
           count(x.value) filter (where not x.is_suppressed) as value_rows,
           case when any_value(x.time_aggregation) = 'avg' then avg(x.value) filter (where not x.is_suppressed)
                else sum(x.value) filter (where not x.is_suppressed) end as value,
           max(case when x.grain in ('year', 'year_total') then 1 else g.months_in_scope end) as base_expected,
           max(x.source_updated_at) as source_updated_at, max(x.loaded_at) as loaded_at,
           bool_or(x.is_demo) as is_demo, any_value(x.source) as source
    from grid g
    join inputs x on x.indicator_id = g.indicator_id and x.org_id = g.org_id
     and ((x.grain = 'month' and x.period_start >= g.period_start and x.period_start < g.period_end_excl
           and not (g.period_type = 'year' and x.has_year_total))
       or (x.grain in ('year', 'year_total') and g.period_type = 'year' and x.period_start = g.period_start)
       or (x.grain = 'year' and g.period_type <> 'year' and year(x.period_start) = year(g.period_start)))
    group by g.indicator_id, g.org_id, g.period_start, x.role
),
parts as (
    select indicator_id, org_id, period_start, role, value, is_demo, source, source_updated_at, loaded_at,
           -- propagate: any withheld base cell withholds the part; exclude: only when every cell is withheld.
           case when on_suppressed = 'exclude' then suppressed_rows > 0 and value_rows = 0
                else suppressed_rows > 0 end as is_suppressed,
           -- a part needs every base period of the indicator's period (12 months for a year) with a value or withheld;
           -- for 'exclude' measures a month without a value adds nothing (no feedback that month)
           case when on_suppressed = 'exclude' then base_rows >= base_expected
                else value_rows + suppressed_rows >= base_expected end as is_complete
    from agg
),
-- One territory, one answer: areas with the same member municipalities in a year (Kainuu the collaboration area and
-- Kainuu the county before 2023) are one territory. Each takes the values and targets of its first naming (a county
-- before a collaboration area before a sub-area), so both show the same value, withholding, target and status.
territories as (
    select org_id, year, string_agg(distinct municipality_code, ',' order by municipality_code) as members
    from intermediate.int_scorecard__area_members group by org_id, year
),
territory_of as (
    select t.org_id, t.year, o.org_type,
           first_value(t.org_id) over (partition by t.year, t.members order by o.org_sort, t.org_id) as territory_org_id,
           first_value(o.org_type) over (partition by t.year, t.members order by o.org_sort, t.org_id) as territory_org_type
    from territories t join orgs o using (org_id)
),
parts_by_territory as (
    select * exclude (preference)
    from (
        select p.indicator_id, t.org_id, p.period_start, p.role, p.value, p.is_demo, p.source, p.source_updated_at, p.loaded_at,
               p.is_suppressed, p.is_complete, 0 as preference
        from parts p
        join territory_of t on t.territory_org_id = p.org_id and t.year = year(p.period_start) and t.org_id <> t.territory_org_id
        union all
        select indicator_id, org_id, period_start, role, value, is_demo, source, source_updated_at, loaded_at,
               is_suppressed, is_complete, 1
        from parts)
    qualify row_number() over (partition by indicator_id, org_id, period_start, role order by preference) = 1
),
vals as (
    select g.*, i.factor, i.polarity, i.allowed_min, i.allowed_max, i.denominator_measure,
           n.value as numerator, d.value as denominator,
           coalesce(n.is_suppressed, false) or coalesce(d.is_suppressed, false) as is_suppressed,
           coalesce(n.is_complete, false) and (i.denominator_measure is null or coalesce(d.is_complete, false)) as inputs_complete,
           greatest(n.source_updated_at, d.source_updated_at) as source_updated_at,
           greatest(n.loaded_at, d.loaded_at) as loaded_at,
           coalesce(n.is_demo, false) or coalesce(d.is_demo, false) as is_demo,
           n.source as measure_source
    from grid g
    join ind i using (indicator_id)
    left join parts_by_territory n on n.indicator_id = g.indicator_id and n.org_id = g.org_id and n.period_start = g.period_start and n.role = 'num'
    left join parts_by_territory d on d.indicator_id = g.indicator_id and d.org_id = g.org_id and d.period_start = g.period_start and d.role = 'den'
),
computed as (
    select v.*,
           case when v.is_suppressed or not v.inputs_complete then null
                when v.denominator_measure is null then v.factor * v.numerator
                when v.denominator = 0 then null
                else v.factor * v.numerator / v.denominator end as value
    from vals v
),
-- Targets: the organisation's own, else the nearest organisation it belongs to (that year), else its
-- organisation type's, else the indicator's general target; among equals the one that started last, then the one
-- written later in targets.yaml.
target_candidates as (
    select c.indicator_id, c.org_id, c.period_start, t.target_low, t.target_high, t.note as target_note,
           case when t.org_id is not null then least(a.depth, ay.depth) when t.org_type is not null then 100 else 1000 end as precedence,
           coalesce(t.period_from, date '0001-01-01') as starts, t.entry,
           case when t.org_id is null and t.org_type is null then 'kaikki'
                when t.org_type is not null then t.org_type else t.org_id end as target_scope
    from (select c.*, coalesce(t.territory_org_id, c.org_id) as target_org_id, coalesce(t.territory_org_type, c.org_type) as target_org_type
          from computed c left join territory_of t on t.org_id = c.org_id and t.year = year(c.period_start)) c
    join staging.stg_config__targets t
      on t.indicator_id = c.indicator_id
     and c.period_start >= coalesce(t.period_from, date '0001-01-01') and c.period_start <= coalesce(t.period_to, date '9999-12-31')
    -- the organisations it belongs to in every year (a) and in that year (ay): two equality joins, not one join on
    -- "year is null or year = …" (that is a nested-loop join of every row with every ancestor: minutes at 1 000 units)
    left join intermediate.int_scorecard__org_ancestors a
      on a.org_id = c.target_org_id and a.ancestor_id = t.org_id and a.year is null
    left join intermediate.int_scorecard__org_ancestors ay
      on ay.org_id = c.target_org_id and ay.ancestor_id = t.org_id and ay.year = year(c.period_start)
    where (t.org_id is null and t.org_type is null)
       or (t.org_type is not null and t.org_type = c.target_org_type)
       or (t.org_id is not null and (a.ancestor_id is not null or ay.ancestor_id is not null))
),
targets as (
    select indicator_id, org_id, period_start, target_low, target_high, target_scope
    from target_candidates
    qualify row_number() over (partition by indicator_id, org_id, period_start order by precedence, starts desc, entry desc) = 1
),
judged as (
    select c.*, t.target_low, t.target_high, t.target_scope,
           -- the distance to the target on the bad side (0 = target met)
           case when c.value is null or t.target_low is null then null
                when c.polarity = 'higher_is_better' then greatest(0, t.target_low - c.value)
                when c.polarity = 'lower_is_better' then greatest(0, c.value - t.target_high)
                else greatest(0, t.target_low - c.value, c.value - t.target_high) end as shortfall,
           case when t.target_low is null then null
                when i.tl_mode = 'absolute' then i.tl_yellow
                when c.polarity = 'higher_is_better' then abs(t.target_low) * i.tl_yellow / 100
                when c.polarity = 'lower_is_better' then abs(t.target_high) * i.tl_yellow / 100
                when c.value < t.target_low then abs(t.target_low) * i.tl_yellow / 100
                else abs(t.target_high) * i.tl_yellow / 100 end as yellow_width
    from computed c
    join ind i using (indicator_id)
    left join targets t using (indicator_id, org_id, period_start)
),
scored as (
    select j.*,
           case when j.shortfall is null then 'none'
                when round(j.shortfall, 9) = 0 then 'green'
                when round(j.shortfall, 9) <= round(j.yellow_width, 9) then 'yellow'
                else 'red' end as status,
           case when j.shortfall is null then null
                when round(j.shortfall, 9) = 0 then 100.0
                when j.yellow_width <= 0 then 0.0
                else round(greatest(0.0, 100.0 - 50.0 * j.shortfall / j.yellow_width), 6) end as score_0_100,
           case j.period_type when 'year' then year(j.period_start)
                when 'quarter' then year(j.period_start) * 4 + quarter(j.period_start) - 1
                when 'month' then year(j.period_start) * 12 + month(j.period_start) - 1
                else cast(epoch(j.period_start) / 604800 as bigint) end as period_index
    from judged j
),
with_changes as (
    select s.*,
           p.value as value_prev, y.value as value_yoy
    from scored s
    left join scored p on p.indicator_id = s.indicator_id and p.org_id = s.org_id and p.period_start = (s.period_start - s.step)::date
    left join scored y on y.indicator_id = s.indicator_id and y.org_id = s.org_id
     and y.period_start = case when s.period_type = 'week' then (s.period_start - interval 364 day)::date else (s.period_start - interval 1 year)::date end
),
-- The trend over the indicator's last trend_periods periods (a window, not a self-join: a monthly series of ten
-- years would otherwise pair every period with every other).
trends as (
    select s.indicator_id, s.org_id, s.period_start,
           regr_slope(s.value, s.period_index) over w as slope, count(s.value) over w as points, avg(s.value) over w as mean_value
    from scored s
    join ind i using (indicator_id)
    window w as (partition by s.indicator_id, s.org_id order by s.period_index
                 range between i.trend_periods - 1 preceding and current row)
    qualify s.value is not null
)
select
    w.indicator_id, i.perspective, i.level, w.org_id, w.org_type, w.period_start, w.period_type,
    case when w.is_suppressed then null else w.value end as value,
    case when w.target_low = w.target_high then w.target_low else (w.target_low + w.target_high) / 2 end as target,
    w.status,
    case when w.value is not null and w.value_prev is not null then w.value - w.value_prev end as change_prev,
    case when w.value is not null and w.value_yoy is not null then w.value - w.value_yoy end as change_yoy,
    case when t.points is null or t.points < 2 or t.slope is null then null
         -- rounded like the status: a change exactly at the limit is flat whatever the order of the sums
         when round(abs(t.slope * (i.trend_periods - 1)), 9) <= round(abs(t.mean_value) * i.trend_flat_pct / 100, 9) then 'flat'
         when t.slope > 0 then 'up' else 'down' end as trend,
    w.score_0_100,
    w.is_suppressed,
    w.source_updated_at,
    w.loaded_at,
    -- more columns (may grow)
    case when w.is_suppressed then null else w.numerator end as numerator,
    case when w.is_suppressed then null else w.denominator end as denominator,
    w.target_low, w.target_high, w.target_scope,
    case when w.value is null then null
         when i.polarity = 'target_band' then rank() over (partition by w.indicator_id, w.org_type, w.period_start, w.value is null
                                                            order by coalesce(w.shortfall, 0))
         when i.polarity = 'lower_is_better' then rank() over (partition by w.indicator_id, w.org_type, w.period_start, w.value is null order by w.value)
         else rank() over (partition by w.indicator_id, w.org_type, w.period_start, w.value is null order by w.value desc) end as peer_rank,
    count(w.value) over (partition by w.indicator_id, w.org_type, w.period_start) as peer_count,
    case when t.points >= 2 and t.slope is not null and round(abs(t.slope * (i.trend_periods - 1)), 9) > round(abs(t.mean_value) * i.trend_flat_pct / 100, 9) then
         case when i.polarity = 'higher_is_better' then t.slope > 0 when i.polarity = 'lower_is_better' then t.slope < 0 end
    end as trend_is_favourable,
    w.is_expected,
    w.value is not null or w.is_suppressed as is_present,
    w.value is not null and ((i.allowed_min is not null and w.value < i.allowed_min) or (i.allowed_max is not null and w.value > i.allowed_max)) as is_out_of_range,
    w.polarity, i.unit, i.decimals, i.name_fi as indicator_name_fi, i.name_sv as indicator_name_sv, i.name_en as indicator_name_en,
    i.levels, i.is_strategic, i.is_implementation, i.is_operational,
    o.name_fi as org_name_fi, o.name_sv as org_name_sv, o.parent_id as org_parent_id, o.org_sort,
    w.is_demo or i.is_demo as is_demo,
    i.attribution || case when w.is_demo or i.is_demo then ' (esimerkkiaineisto, ei todellista tietoa)' else '' end as attribution_fi,
    w.period_index,
    cast(mc.members_covered as integer) as members_covered, cast(mc.members_total as integer) as members_total,
    -- a rate per resident says which population it divides by (later years use the latest published population)
    case when i.denominator_measure like 'population.total%' then cast(py.value as integer) end as population_year
from with_changes w
join ind i using (indicator_id)
join orgs o using (org_id)
left join trends t using (indicator_id, org_id, period_start)
left join member_coverage mc on mc.indicator_id = w.indicator_id and mc.org_id = w.org_id
 and mc.period_start = make_date(year(w.period_start), 1, 1)
left join measures py on py.measure_id = 'population.year' and py.org_id = w.org_id
 and py.period_start = make_date(year(w.period_start), 1, 1);
