-- marts.service_use_yearly: service use per year (January to the year's last month with data) × home municipality
-- (and the district total) × specialty × service type, for the implementation page's totals (docs/disclosure.md).
-- Never a partial sum: a municipality's or the district's total of a complete year is a cell of its own, protected in
-- the disclosure step (intermediate.int_service_use__org_cells); the total of a year so far is shown when none of its
-- months is withheld (then it is the sum of published months). Otherwise its values are NULL, is_suppressed is
-- true and withheld_reason_fi says why. The same for the previous year's same months (the year-to-date comparison).
create or replace table marts.service_use_yearly as
with
s as (select * from marts.service_use_summary where municipality_level in ('municipality', 'district')),
months as (
    select year, municipality_level, municipality_code, specialty_code, service_type,
           any_value(municipality_name_fi) as municipality_name_fi, any_value(specialty_name_fi) as specialty_name_fi,
           any_value(service_type_fi) as service_type_fi,
           count(*) as months, max(month(month)) as through_month, count(*) filter (where is_suppressed) as withheld_months,
           sum(visits) as visits, sum(care_periods) as care_periods, sum(bed_days) as bed_days, sum(cost_eur) as cost_eur,
           max(population) as population
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
protected as (
    select year(period_start) as year, municipality_code, specialty_code, service_type, visits, care_periods, bed_days,
           cost_eur, suppressed
    from intermediate.int_service_use__org_cells where grain = 'year' and municipality_code is not null
),
t as (
    select m.*, p.suppressed as protected_suppressed, p.year is not null as is_protected_cell,
           case when p.year is not null then not p.suppressed else m.withheld_months = 0 end as is_shown,
           p.visits as p_visits, p.care_periods as p_care_periods, p.bed_days as p_bed_days, p.cost_eur as p_cost_eur,
           v.withheld_months as prev_withheld_months, v.visits as prev_visits, v.cost_eur as prev_cost_eur
    from months m
    left join protected p on p.year = m.year
         and p.municipality_code = m.municipality_code and p.specialty_code = m.specialty_code and p.service_type = m.service_type
    left join prev v on v.year = m.year and v.municipality_level = m.municipality_level
         and v.municipality_code = m.municipality_code and v.specialty_code = m.specialty_code and v.service_type = m.service_type
)
select year, municipality_level, municipality_code, municipality_name_fi, specialty_code, specialty_name_fi,
       service_type, service_type_fi, months, through_month, withheld_months,
       case when not is_shown then null when is_protected_cell then p_visits else visits end             as visits,
       case when not is_shown then null when is_protected_cell then p_care_periods else care_periods end as care_periods,
       case when not is_shown then null when is_protected_cell then p_bed_days else bed_days end         as bed_days,
       case when not is_shown then null when is_protected_cell then p_cost_eur else cast(cost_eur as double) end as cost_eur,
       population,
       case when is_shown and population > 0
            then round(coalesce(p_visits, visits) * 1000.0 / population, 1) end                      as visits_per_1000,
       case when is_shown and population > 0
            then round(coalesce(p_cost_eur, cast(cost_eur as double)) / population, 0) end           as cost_eur_per_resident,
       not is_shown                                                                                  as is_suppressed,
       case when is_shown then null
            when is_protected_cell then 'Salattu: vuoden luvusta voisi laskea pienen luvun.'
            else 'Ei summaa: ' || withheld_months || ' kk salattu pienten lukujen vuoksi.' end       as withheld_reason_fi,
       case when prev_withheld_months = 0 then prev_visits end                                       as visits_prev_same_months,
       case when prev_withheld_months = 0 then cast(prev_cost_eur as double) end                     as cost_eur_prev_same_months,
       case when prev_withheld_months > 0
            then 'Edellisvuoden samoista kuukausista ' || prev_withheld_months || ' salattu pienten lukujen vuoksi.' end
                                                                                                     as prev_withheld_reason_fi,
       'Sairaanhoitopiirin palvelukäyttö; väestö THL / Sotkanet, Tilastokeskus'                      as source
from t
order by year, municipality_level, municipality_code, specialty_code, service_type;
