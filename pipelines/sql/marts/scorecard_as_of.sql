-- marts.scorecard_as_of: the one "as of year" rule of the strategic pages (docs/scorecard.md, "As of a year"). For
-- every yearly indicator × organisation and every year a page offers (as_of_year), the marts.scorecard row of the
-- latest year up to as_of_year that has a value or is withheld; when there is none, the latest row up to it (value
-- NULL: the tile says the value is missing). The front page's tiles, perspective scores (perspective_scores_as_of),
-- dual model (dual_model_as_of) and map read this, so they all follow the same rule; each row keeps its own data
-- year (data_year, as_of_fi). is_latest marks the latest as_of_year (what an area page shows).
create or replace table marts.scorecard_as_of as
with years as (
    select distinct cast(year(period_start) as integer) as as_of_year
    from intermediate.int_scorecard__rows where period_type = 'year'
)
select y.as_of_year, s.*,
       cast(year(s.period_start) as integer) as data_year,
       y.as_of_year = (select max(as_of_year) from years) as is_latest,
       'Tiedot: ' || s.period_label
           || case when year(s.period_start) < y.as_of_year then ' (uusin vuoteen ' || y.as_of_year || ' mennessä)' else '' end as as_of_fi,
       -- a series that has ended (the registry's quality.series_end) says so on tiles of later years
       cast(year(i.series_end) as integer) as series_end_year,
       case when year(i.series_end) < y.as_of_year then 'Sarja päättyi ' || year(i.series_end) end as series_end_fi,
       -- Finland's value of the same (data) year and the rank among the counties (marts.national_comparison)
       n.finland_value, n.finland_value_fi, n.county_rank, n.county_count,
       -- what the tile says about Finland: its value, or why there is none (a local register has no national series)
       case when n.finland_value_fi is not null then 'Koko maa ' || n.finland_value_fi
                || case when coalesce(s.unit, '') <> '' then chr(160) || s.unit else '' end
            when i.numerator_measure not like 'sotkanet.%' or i.denominator_measure is not null then 'Koko maa: ei valtakunnallista vertailutietoa'
            else 'Koko maa: ei tietoa vuodelta ' || year(s.period_start) end                      as finland_fi,
       case when n.county_rank is not null then 'sija ' || n.county_rank || '/' || n.county_count || ' hyvinvointialueista' end as county_rank_fi,
       -- the texts above in Swedish and English (docs/evidence-offline-patch.md, "Languages")
       'Uppgifter: ' || s.period_label
           || case when year(s.period_start) < y.as_of_year then ' (senaste fram till ' || y.as_of_year || ')' else '' end as as_of_sv,
       'Data: ' || s.period_label
           || case when year(s.period_start) < y.as_of_year then ' (latest up to ' || y.as_of_year || ')' else '' end as as_of_en,
       case when year(i.series_end) < y.as_of_year then 'Serien upphörde ' || year(i.series_end) end as series_end_sv,
       case when year(i.series_end) < y.as_of_year then 'Series ended ' || year(i.series_end) end as series_end_en,
       n.finland_value_sv, n.finland_value_en,
       case when n.finland_value_fi is not null then 'Hela landet ' || n.finland_value_sv
                || case when coalesce(s.unit_sv, '') <> '' then chr(160) || s.unit_sv else '' end
            when i.numerator_measure not like 'sotkanet.%' or i.denominator_measure is not null then 'Hela landet: inga nationella jämförelsedata'
            else 'Hela landet: inga uppgifter för ' || year(s.period_start) end                    as finland_sv,
       case when n.finland_value_fi is not null then 'Finland ' || n.finland_value_en
                || case when coalesce(s.unit_en, '') <> '' then chr(160) || s.unit_en else '' end
            when i.numerator_measure not like 'sotkanet.%' or i.denominator_measure is not null then 'Finland: no national comparison data'
            else 'Finland: no data for ' || year(s.period_start) end                               as finland_en,
       case when n.county_rank is not null then 'plats ' || n.county_rank || '/' || n.county_count || ' bland välfärdsområdena' end as county_rank_sv,
       case when n.county_rank is not null then 'rank ' || n.county_rank || '/' || n.county_count || ' among wellbeing services counties' end as county_rank_en
from years y
join marts.scorecard s on s.period_type = 'year' and year(s.period_start) <= y.as_of_year
join staging.stg_config__indicators i using (indicator_id)
left join marts.national_comparison n on n.indicator_id = s.indicator_id and n.org_id = s.org_id and n.year = year(s.period_start)
qualify row_number() over (partition by y.as_of_year, s.indicator_id, s.org_id order by s.is_present desc, s.period_start desc) = 1;
