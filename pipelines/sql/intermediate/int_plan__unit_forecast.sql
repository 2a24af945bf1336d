create or replace table intermediate.int_plan__unit_forecast as
with cells as (
    select organisation_code, year, account_group,
           coalesce(max(month_no) filter (where data_year = year and reported), 0) as months_with_data,
           count(value) filter (where data_year = year - 1 and value > 0) = 12 as seasonal
    from intermediate.int_plan__unit_months group by all
),
months as (
    select c.*, m.month_no, a.value as actual,
           case when c.seasonal then p.value else 1.0 end as base
    from cells c
    cross join (select unnest(range(1, 13))::integer as month_no) m
    left join intermediate.int_plan__unit_months a on a.organisation_code = c.organisation_code and a.year = c.year
     and a.account_group = c.account_group and a.data_year = c.year and a.month_no = m.month_no
    left join intermediate.int_plan__unit_months p on p.organisation_code = c.organisation_code and p.year = c.year
     and p.account_group = c.account_group and p.data_year = c.year - 1 and p.month_no = m.month_no
),
per_cell as (
    select organisation_code, year, account_group, any_value(months_with_data) as months_with_data,
           case when any_value(seasonal) then 'seasonal' else 'flat' end as method,
           case when account_group = 'henkilötyövuodet' then 1.0 / 12 else 1.0 end as year_factor,
           case when account_group = 'henkilötyövuodet' then 1.0 / nullif(any_value(months_with_data), 0) else 1.0 end as ytd_factor,
           sum(actual) filter (where month_no <= months_with_data) as actual_sum,
           sum(base) filter (where month_no <= months_with_data) as base_ytd,
           coalesce(sum(base) filter (where month_no > months_with_data), 0) as base_remaining,
           min(actual / base) filter (where month_no <= months_with_data) as rate_min,
           max(actual / base) filter (where month_no <= months_with_data) as rate_max,
           count(*) filter (where month_no <= months_with_data and actual is null) as months_unknown
    from months group by organisation_code, year, account_group
)
select organisation_code, year, account_group, months_with_data, method,
       months_with_data = 0 or months_unknown > 0 as is_incomplete,
       case when months_unknown = 0 then actual_sum * ytd_factor end as actual_ytd,
       case when months_unknown = 0 then (actual_sum + base_remaining * actual_sum / nullif(base_ytd, 0)) * year_factor end as forecast,
       case when months_unknown = 0 then (actual_sum + base_remaining * rate_min) * year_factor end as forecast_low,
       case when months_unknown = 0 then (actual_sum + base_remaining * rate_max) * year_factor end as forecast_high
from per_cell where months_with_data > 0;
