-- marts.service_use_yearly: service use per year (January to the year's last month with data) × home municipality
-- (and the district total) × specialty × service type, for the implementation page's totals (docs/disclosure.md).
-- Never a partial sum: a municipality's or the district's total of a complete year is a cell of its own, protected in
-- the disclosure step (intermediate.int_service_use__org_cells); the total of a year so far is shown when none of its
-- months is withheld (then it is the sum of published months). Otherwise its values are NULL, is_suppressed is
-- true and withheld_reason_fi says why. Care periods and bed days alone may be withheld (is_care_periods_withheld:
-- the year's own cell withheld them, or a month of a year so far did), the other values shown. The same for the
-- previous year's same months (the year-to-date comparison).
-- The organisers' totals (municipality_level 'county', one per wellbeing services county) follow the same rule with
-- their protected area cells. Every number /toteutus shows is a column here (docs/service-use.md, "/toteutus"):
-- differences to the same months a year earlier (…_change_ytd), the previous year's total and the change to it
-- (cost_eur_prev_year, cost_eur_change), the share of the organiser's total (…_share_of_county), ranks within the
-- organiser (cost_eur_per_resident_rank, cost_eur_change_rank) and the population year of the rates.
create or replace table marts.service_use_yearly as
with
s as (select * from marts.service_use_summary where municipality_level in ('municipality', 'district', 'county')),
months as (
    select year, municipality_level, municipality_code, specialty_code, service_type,
           any_value(municipality_name_fi) as municipality_name_fi, any_value(specialty_name_fi) as specialty_name_fi,
           any_value(service_type_fi) as service_type_fi, any_value(county_org_id) as county_org_id,
           any_value(county_name_fi) as county_name_fi,
           any_value(municipality_name_sv) as municipality_name_sv, any_value(municipality_name_en) as municipality_name_en,
           any_value(specialty_name_sv) as specialty_name_sv, any_value(specialty_name_en) as specialty_name_en,
           any_value(service_type_sv) as service_type_sv, any_value(service_type_en) as service_type_en,
           any_value(county_name_sv) as county_name_sv, any_value(county_name_en) as county_name_en,
           count(*) as months, max(month(month)) as through_month, count(*) filter (where is_suppressed) as withheld_months,
           count(*) filter (where is_care_periods_withheld) as care_withheld_months,
           sum(visits) as visits, sum(care_periods) as care_periods, sum(bed_days) as bed_days, sum(cost_eur) as cost_eur,
           max(population) as population, max(population_year) as population_year
    from s group by year, municipality_level, municipality_code, specialty_code, service_type
),
prev as (  -- the previous year's months up to the same month
    select m.year, m.municipality_level, m.municipality_code, m.specialty_code, m.service_type,
           count(*) filter (where p.is_suppressed) as withheld_months,
           sum(p.visits) as visits, sum(p.cost_eur) as cost_eur
    from months m
    join s p on p.year = m.year - 1 and p.municipality_level = m.municipality_level and p.municipality_code = m.municipality_code
            and p.specialty_code = m.specialty_code and p.service_type = m.service_type and month(p.month) <= m.through_month
    group by all
),
protected as (  -- municipalities and the district by code, the organisers (counties) by their org id
    select year(period_start) as year, coalesce(municipality_code, org_id) as municipality_code, specialty_code,
           service_type, visits, care_periods, bed_days, cost_eur, suppressed, care_withheld
    from intermediate.int_service_use__org_cells
    where grain = 'year'
      and (municipality_code is not null or org_id in (select county_org_id from intermediate.int_service_use__county_cells))
      -- A merged municipality's year cell is its harmonised unit's (its old municipalities too): not this row's, whose
      -- months are the municipality's own (docs/disclosure.md); such a row follows the rule of a year without one.
      and (municipality_code is null or municipality_code not in
           (select municipality_code from intermediate.int_service_use__cells where municipality_level = 'harmonised'))
),
t as (
    select m.*, p.suppressed as protected_suppressed, p.year is not null as is_protected_cell,
           case when p.year is not null then not p.suppressed else m.withheld_months = 0 end as is_shown,
           case when p.year is not null then p.care_withheld else m.care_withheld_months > 0 end as is_care_withheld,
           p.visits as p_visits, p.care_periods as p_care_periods, p.bed_days as p_bed_days, p.cost_eur as p_cost_eur,
           v.withheld_months as prev_withheld_months, v.visits as prev_visits, v.cost_eur as prev_cost_eur
    from months m
    left join protected p on p.year = m.year
         and p.municipality_code = m.municipality_code and p.specialty_code = m.specialty_code and p.service_type = m.service_type
    left join prev v on v.year = m.year and v.municipality_level = m.municipality_level
         and v.municipality_code = m.municipality_code and v.specialty_code = m.specialty_code and v.service_type = m.service_type
),
totals as (
select year, municipality_level, municipality_code, municipality_name_fi, county_org_id, county_name_fi, specialty_code,
       specialty_name_fi, service_type, service_type_fi, months, through_month, withheld_months,
       case when not is_shown then null when is_protected_cell then p_visits else visits end             as visits,
       case when not is_shown or is_care_withheld then null
            when is_protected_cell then p_care_periods else care_periods end                         as care_periods,
       case when not is_shown or is_care_withheld then null
            when is_protected_cell then p_bed_days else bed_days end                                 as bed_days,
       -- euros to the cent (sums of doubles otherwise end in …,4999999 and round differently on the page and in a check)
       round(case when not is_shown then null when is_protected_cell then p_cost_eur else cast(cost_eur as double) end, 2) as cost_eur,
       population, population_year,
       case when is_shown and population > 0
            then round(coalesce(p_visits, visits) * 1000.0 / population, 1) end                      as visits_per_1000,
       case when is_shown and population > 0
            then round(coalesce(p_cost_eur, cast(cost_eur as double)) / population, 0) end           as cost_eur_per_resident,
       not is_shown                                                                                  as is_suppressed,
       is_shown and is_care_withheld                                                                 as is_care_periods_withheld,
       case when is_shown then null
            when is_protected_cell then 'Salattu: vuoden luvusta voisi laskea pienen luvun.'
            else 'Ei summaa: ' || withheld_months || ' kk salattu pienten lukujen vuoksi.' end       as withheld_reason_fi,
       case when prev_withheld_months = 0 then prev_visits end                                       as visits_prev_same_months,
       case when prev_withheld_months = 0 then round(cast(prev_cost_eur as double), 2) end           as cost_eur_prev_same_months,
       case when prev_withheld_months > 0
            then 'Edellisvuoden samoista kuukausista ' || prev_withheld_months || ' salattu pienten lukujen vuoksi.' end
                                                                                                     as prev_withheld_reason_fi,
       'Sairaanhoitopiirin palvelukäyttö; väestö THL / Sotkanet, Tilastokeskus'                      as source,
       -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
       municipality_name_sv, municipality_name_en, county_name_sv, county_name_en, specialty_name_sv, specialty_name_en,
       service_type_sv, service_type_en,
       'Sairaanhoitopiirin palvelukäyttö; väestö THL / Sotkanet, Tilastokeskus' as source_fi, 'Sjukvårdsdistriktets serviceanvändning; befolkning THL / Sotkanet, Statistikcentralen' as source_sv,
       'Hospital district service use; population THL / Sotkanet, Statistics Finland' as source_en,
       case when is_shown then null
            when is_protected_cell then 'Skyddad: av årets tal kunde ett litet tal räknas ut.'
            else 'Ingen summa: ' || withheld_months || ' mån. skyddade på grund av små tal.' end     as withheld_reason_sv,
       case when is_shown then null
            when is_protected_cell then 'Withheld: a small number could be computed from the year''s figure.'
            else 'No total: ' || withheld_months || ' months withheld because of small numbers.' end as withheld_reason_en,
       case when prev_withheld_months > 0
            then 'Av föregående års samma månader är ' || prev_withheld_months || ' skyddade på grund av små tal.' end
                                                                                                     as prev_withheld_reason_sv,
       case when prev_withheld_months > 0
            then prev_withheld_months || ' of the previous year''s same months withheld because of small numbers.' end
                                                                                                     as prev_withheld_reason_en
from t
),
derived as (
    select a.*,
           a.visits - a.visits_prev_same_months                                                        as visits_change_ytd,
           round(a.cost_eur - a.cost_eur_prev_same_months, 2)                                          as cost_eur_change_ytd,
           b.cost_eur                                                                                  as cost_eur_prev_year,
           round(a.cost_eur - b.cost_eur, 2)                                                           as cost_eur_change,
           case when a.municipality_level = 'municipality' and k.visits > 0
                then round(a.visits / k.visits, 3) end                                                 as visits_share_of_county,
           case when a.municipality_level = 'municipality' and k.cost_eur > 0
                then round(a.cost_eur / k.cost_eur, 3) end                                             as cost_eur_share_of_county,
           'väestö 31.12.' || a.population_year
             || case when a.population_year < a.year then ' (uusin julkaistu)' else '' end             as population_fi,
           'befolkning 31.12.' || a.population_year
             || case when a.population_year < a.year then ' (senaste publicerade)' else '' end          as population_sv,
           'population 31 Dec ' || a.population_year
             || case when a.population_year < a.year then ' (latest published)' else '' end             as population_en
    from totals a
    left join totals b on b.year = a.year - 1 and b.municipality_level = a.municipality_level
         and b.municipality_code = a.municipality_code and b.specialty_code = a.specialty_code and b.service_type = a.service_type
    left join totals k on k.municipality_level = 'county' and k.municipality_code = a.county_org_id and k.year = a.year
         and k.specialty_code = a.specialty_code and k.service_type = a.service_type
)
select *,
       -- ranks among the organiser's municipalities (1 = highest; none for a value not shown)
       case when municipality_level = 'municipality' and cost_eur_per_resident is not null
            then rank() over (partition by year, county_org_id, municipality_level, specialty_code, service_type,
                                           cost_eur_per_resident is null
                              order by cost_eur_per_resident desc) end                                 as cost_eur_per_resident_rank,
       case when municipality_level = 'municipality' and cost_eur_change is not null
            then rank() over (partition by year, county_org_id, municipality_level, service_type, specialty_code = 'ALL',
                                           cost_eur_change is null
                              order by abs(cost_eur_change) desc) end                                  as cost_eur_change_rank
from derived
order by year, municipality_level, municipality_code, specialty_code, service_type;
