-- marts.sotkanet_values_by_organisation: Sotkanet municipal values aggregated per organisation
-- (marts.organisation_members_by_year) and year, over the members' current-boundary codes:
--   counts (value type LKM): the sum of the members' values;
--   rates and shares: sum(absolute values) / sum(denominators), each member's denominator being
--     absolute_value / value (so the rate is recomputed from counts, never an average of rates);
--   indices, euros per resident and ratios (and rates without counts): the population-weighted mean of the members'
--     values (population 31.12. of the year, the latest published one for later years).
-- This is the one aggregation rule of the product: the scorecard's measure layer (intermediate.int_scorecard__measures)
-- computes the same values for the areas (test/integration/scorecard-demo.test.ts compares them).
-- A value is NULL (is_missing) when any member lacks what the method needs: a partial sum would mislead.
-- aggregation = 'sotkanet_region': the organisation is an official region (e.g. a wellbeing county) and the value
-- is Sotkanet's own value for that region, used as it is.
create or replace table marts.sotkanet_values_by_organisation as
with
members as (
    select distinct organisation_code, year, current_code from marts.organisation_members_by_year
),
member_counts as (
    select organisation_code, year, count(*) as member_count from members group by organisation_code, year
),
member_population as (
    select m.current_code, m.year,
           (select arg_max(p.population, p.year) from staging.stg_sotkanet__population p
             where p.municipality_code = m.current_code and p.year <= m.year) as population
    from (select distinct current_code, year from members) m
),
vals as (
    select v.*, i.value_type, i.is_synthetic
    from staging.stg_sotkanet__values v
    join staging.stg_sotkanet__indicators i using (indicator_id)
    where v.region_category = 'KUNTA'
),
joined as (
    select m.organisation_code, m.year, v.indicator_id, v.gender, v.value, v.absolute_value, v.value_type,
           v.is_synthetic, mp.population
    from members m
    join vals v on v.region_code = m.current_code and v.year = m.year
    left join member_population mp on mp.current_code = m.current_code and mp.year = m.year
),
agg as (
    select organisation_code, year, indicator_id, gender, any_value(value_type) as value_type,
           bool_or(is_synthetic) as is_synthetic,
           count(*) as members_with_rows,
           count(value) as members_with_value,
           count(absolute_value) as members_with_count,
           bool_and(coalesce(value <> 0, false)) as all_nonzero,
           sum(value) as sum_value,
           sum(absolute_value) as sum_absolute,
           sum(absolute_value / nullif(value, 0)) as sum_denominator,
           count(population) as members_with_population,
           sum(value * population) / nullif(sum(population), 0) as population_weighted
    from joined
    group by organisation_code, year, indicator_id, gender
)
select *, value is null as is_missing
from (
select
    a.organisation_code,
    o.name_fi                                                       as organisation_name_fi,
    a.indicator_id,
    a.year,
    a.gender,
    case
        when a.value_type = 'LKM' then 'sum'
        when a.members_with_count = a.members_with_rows and a.all_nonzero and a.value_type not in ('INDEKSI', 'EUROA', 'SUHDE')
            then 'ratio_of_sums'
        else 'population_weighted'
    end                                                             as aggregation,
    case
        when a.members_with_rows < mc.member_count or a.members_with_value < a.members_with_rows then null
        when a.value_type = 'LKM' then a.sum_value
        when a.members_with_count = a.members_with_rows and a.all_nonzero and a.value_type not in ('INDEKSI', 'EUROA', 'SUHDE')
            then a.sum_absolute / a.sum_denominator
        when a.members_with_population = a.members_with_rows then a.population_weighted
    end                                                             as value,
    case when a.members_with_count = mc.member_count then a.sum_absolute end as absolute_value,
    cast(mc.member_count as integer)                                as member_count,
    cast(a.members_with_rows as integer)                            as members_with_rows,
    a.is_synthetic,
    coalesce(o.name_sv, o.name_fi)                                  as organisation_name_sv,
    coalesce(o.name_en, o.name_fi)                                  as organisation_name_en
from agg a
join member_counts mc using (organisation_code, year)
left join staging.stg_config__organisations o using (organisation_code)
where o.region_category is null
union all
-- An organisation defined as an official region (region: in the YAML) takes Sotkanet's own value for that region:
-- THL computes and suppresses it at area level, which is better than re-aggregating suppressed municipalities.
select
    o.organisation_code,
    o.name_fi,
    v.indicator_id,
    v.year,
    v.gender,
    'sotkanet_region',
    v.value,
    v.absolute_value,
    cast(mc.member_count as integer),
    cast(mc.member_count as integer),
    i.is_synthetic,
    coalesce(o.name_sv, o.name_fi),
    coalesce(o.name_en, o.name_fi)
from staging.stg_config__organisations o
join staging.stg_sotkanet__values v
  on v.region_category = o.region_category and v.region_code = o.region_code
 and v.year between year(o.valid_from) and coalesce(year(o.valid_to), 9999)
join staging.stg_sotkanet__indicators i using (indicator_id)
left join member_counts mc on mc.organisation_code = o.organisation_code and mc.year = v.year
)
order by organisation_code, indicator_id, year, gender;
