-- marts.national_comparison: every yearly marts.scorecard row beside Finland's value of the same indicator and year
-- and its rank among the counties (docs/dual-model.md, "Comparators"); tiles (marts.scorecard_as_of), area and
-- indicator pages read it.
--   finland_value   Sotkanet's whole-country value (MAA) of that year, NULL when Sotkanet has none
--   county_rank     1 + the number of counties (21 wellbeing counties and Helsinki) with a better value that year
--                   (lower_is_better: lower; higher_is_better: higher); NULL for target-band indicators, which
--                   have no better direction, and when the row has no value. For an area that is not a county it
--                   is the place its value would take among the counties.
--   county_count    how many counties have a value that year
create or replace table marts.national_comparison as
with
rows as (
    select s.indicator_id, s.org_id, s.org_type, cast(year(s.period_start) as integer) as year, s.value, s.polarity, s.decimals
    from marts.scorecard s
    where s.period_type = 'year'
),
finland as (
    select indicator_id, year, any_value(value) as finland_value
    from marts.indicator_region_values where region_category = 'MAA' and value is not null
    group by indicator_id, year
),
counties as (
    select indicator_id, year, value from marts.indicator_region_values where is_county_peer and value is not null
),
ranked as (
    select r.indicator_id, r.org_id, r.year,
           count(c.value) as county_count,
           count(c.value) filter (where (r.polarity = 'lower_is_better' and c.value < r.value)
                                     or (r.polarity = 'higher_is_better' and c.value > r.value)) as better
    from rows r
    left join counties c on c.indicator_id = r.indicator_id and c.year = r.year
    group by r.indicator_id, r.org_id, r.year
)
select
    r.indicator_id, r.org_id, r.org_type, r.year, r.value, f.finland_value,
    case when f.finland_value is not null then
        replace(replace(replace(format('{:,.{}f}', f.finland_value, coalesce(r.decimals, 1)), ',', chr(160)), '.', ','), '-', '−') end as finland_value_fi,
    case when r.value is not null and k.county_count > 0 and r.polarity in ('lower_is_better', 'higher_is_better')
         then cast(1 + k.better as integer) end                                                        as county_rank,
    cast(k.county_count as integer)                                                                     as county_count,
    -- finland_value_fi in Swedish (written as in Finnish) and English (docs/evidence-offline-patch.md, "Languages")
    finland_value_fi                                                                                    as finland_value_sv,
    case when f.finland_value is not null then
        replace(format('{:,.{}f}', f.finland_value, coalesce(r.decimals, 1)), '-', '−') end            as finland_value_en
from rows r
left join finland f using (indicator_id, year)
left join ranked k using (indicator_id, org_id, year)
order by r.indicator_id, r.org_id, r.year;
