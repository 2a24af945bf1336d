-- marts.board_report_indicators: the strategic indicators of the printable board report (/raportti/<org>,
-- docs/commentary.md) per organisation and report year: the yearly ones by the "as of year" rule of
-- marts.scorecard_as_of, and the strategic indicators of shorter periods (e.g. quarterly) with their latest period of
-- that year that has a value (else the latest one up to it). Every number and label a report row shows. A strategic
-- indicator without any value up to the report year (e.g. a series that starts later) is still a row, saying so
-- ('ei tietoa'), so that the report names every strategic indicator. org_type lets the site's source keep only the
-- organisations that have a report page (wellbeing counties, collaboration areas, sub-areas: sources/warehouse/).
create or replace view marts.board_report_indicators as
with shorter as (
    select y.as_of_year, s.*
    from (select distinct as_of_year from marts.scorecard_as_of) y
    join marts.scorecard s on s.is_strategic and s.period_type <> 'year' and year(s.period_start) <= y.as_of_year
    qualify row_number() over (partition by y.as_of_year, s.indicator_id, s.org_id order by s.is_present desc, s.period_start desc) = 1
),
shown as (
select as_of_year, org_id, org_type, org_name_fi, indicator_id, indicator_name_fi, perspective, perspective_fi, period_type, period_label,
       value, value_fi, target,
       case when target is not null then
           replace(replace(replace(format('{:,.{}f}', target, coalesce(decimals, 1)), ',', chr(160)), '.', ','), '-', '−') end as target_fi,
       status, status_fi, is_suppressed, is_demo,
       org_name_sv, org_name_en, indicator_name_sv, indicator_name_en, perspective_sv, perspective_en, status_sv, status_en,
       value_sv, value_en
from (select * from marts.scorecard_as_of where is_strategic union all by name select * from shorter)
),
reports as (select as_of_year, org_id, any_value(org_type) as org_type, any_value(org_name_fi) as org_name_fi, bool_or(is_demo) as is_demo,
                   any_value(org_name_sv) as org_name_sv, any_value(org_name_en) as org_name_en from shown group by all)
select *,
       -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages"); target_fi written as in Finnish
       target_fi as target_sv, replace(replace(target_fi, ',', '.'), chr(160), ',') as target_en,
       period_label as period_label_fi, period_label as period_label_sv, period_label as period_label_en
from shown
union all
select r.as_of_year, r.org_id, r.org_type, r.org_name_fi, d.indicator_id, d.name_fi as indicator_name_fi, d.perspective, d.perspective_fi,
       d.period_type, 'ei tietoa' as period_label, null::double as value, null::varchar as value_fi, null::double as target,
       null::varchar as target_fi, 'missing' as status, 'ei tietoa' as status_fi, false as is_suppressed, r.is_demo,
       r.org_name_sv, r.org_name_en, coalesce(d.name_sv, d.name_fi), coalesce(d.name_en, d.name_fi), d.perspective_sv, d.perspective_en,
       word('status', 'missing', 'sv'), word('status', 'missing', 'en'), null, null, null, null,
       'ei tietoa', word('status', 'missing', 'sv'), word('status', 'missing', 'en')
from reports r
cross join marts.indicator_dictionary d
where d.is_strategic
  and not exists (select 1 from shown s where s.as_of_year = r.as_of_year and s.org_id = r.org_id and s.indicator_id = d.indicator_id);
