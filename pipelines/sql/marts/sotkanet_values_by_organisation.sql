-- marts.sotkanet_values_by_organisation: Sotkanet municipal values aggregated per organisation
-- (marts.organisation_members_by_year) and year, over the members' current-boundary codes:
--   counts (value type LKM): the sum of the members' values;
--   rates and shares: sum(absolute values) / sum(denominators), each member's denominator being
--     absolute_value / value (so the rate is recomputed from counts, never an average of rates);
--   other value types (indices, euros per resident without counts): not aggregated (NULL, aggregation NULL).
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
vals as (
    select v.*, i.value_type, i.is_synthetic
    from staging.stg_sotkanet__values v
    join staging.stg_sotkanet__indicators i using (indicator_id)
    where v.region_category = 'KUNTA'
),
joined as (
    select m.organisation_code, m.year, v.indicator_id, v.gender, v.value, v.absolute_value, v.value_type,
           v.is_synthetic
    from members m
    join vals v on v.region_code = m.current_code and v.year = m.year
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
           sum(absolute_value / nullif(value, 0)) as sum_denominator
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
        when a.members_with_count > 0 or a.members_with_rows > 0 then
            case when a.value_type in ('INDEKSI', 'EUROA', 'SUHDE') then null else 'ratio_of_sums' end
    end                                                             as aggregation,
    case
        when a.members_with_rows < mc.member_count then null
        when a.value_type = 'LKM' then case when a.members_with_value = a.members_with_rows then a.sum_value end
        when a.value_type in ('INDEKSI', 'EUROA', 'SUHDE') then null
        when a.members_with_value = a.members_with_rows and a.members_with_count = a.members_with_rows
             and a.all_nonzero then a.sum_absolute / a.sum_denominator
    end                                                             as value,
    case when a.members_with_count = mc.member_count then a.sum_absolute end as absolute_value,
    cast(mc.member_count as integer)                                as member_count,
    cast(a.members_with_rows as integer)                            as members_with_rows,
    a.is_synthetic
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
    i.is_synthetic
from staging.stg_config__organisations o
join staging.stg_sotkanet__values v
  on v.region_category = o.region_category and v.region_code = o.region_code
 and v.year between year(o.valid_from) and coalesce(year(o.valid_to), 9999)
join staging.stg_sotkanet__indicators i using (indicator_id)
left join member_counts mc on mc.organisation_code = o.organisation_code and mc.year = v.year
)
order by organisation_code, indicator_id, year, gender;
