-- marts.service_need_projection: projected specialist care need per area × specialty × service type × year, from
-- the base year to the horizon (docs/foresight.md). The central line uses the main population projection variant and
-- the main rate assumption; the band (_low, _high) is the smallest and largest area total over every population
-- variant × rate assumption. Euros at base-year prices. Cells whose base-year patient count is 1..4, and cells from
-- which one could be recomputed, are withheld (suppressed = true, values NULL).
create or replace table marts.service_need_projection as
with
settings as (select * from intermediate.int_foresight__settings),
areas as (select * from intermediate.int_foresight__areas),
band_raw as (
    select c.area_code, c.area_type, c.specialty_code, c.service_type, c.year,
           max(c.visits) filter (where c.variant = s.main_variant and c.rate_assumption = s.main_rate_assumption) as visits,
           min(c.visits) as visits_low, max(c.visits) as visits_high,
           max(c.care_periods) filter (where c.variant = s.main_variant and c.rate_assumption = s.main_rate_assumption) as care_periods,
           min(c.care_periods) as care_periods_low, max(c.care_periods) as care_periods_high,
           max(c.bed_days) filter (where c.variant = s.main_variant and c.rate_assumption = s.main_rate_assumption) as bed_days,
           min(c.bed_days) as bed_days_low, max(c.bed_days) as bed_days_high,
           max(c.cost_eur) filter (where c.variant = s.main_variant and c.rate_assumption = s.main_rate_assumption) as cost_eur,
           min(c.cost_eur) as cost_eur_low, max(c.cost_eur) as cost_eur_high
    from intermediate.int_foresight__area_projection c, settings s
    group by all
),
-- to a millionth first: the projection's sums of doubles differ in their last bits between runs (the order of the
-- additions), which flipped a published figure whose exact value ends in .5 from one run to the next
band as (
    select area_code, area_type, specialty_code, service_type, year,
           round(columns(* exclude (area_code, area_type, specialty_code, service_type, year)), 6)
    from band_raw
),
area_names as (  -- with the Swedish and English names: the organisation model's and the registry's, else the Finnish one
    select distinct a.area_code, a.area_type, a.area_type_fi, a.area_name_fi, a.area_sort,
           coalesce(o.name_sv, m.name_sv, a.area_name_fi) as area_name_sv,
           coalesce(o.name_en, m.name_en, a.area_name_fi) as area_name_en
    from areas a
    left join marts.organisations o on a.area_type <> 'municipality' and o.organisation_code = a.area_code
    left join intermediate.int_municipality__latest_names m
      on a.area_type = 'municipality' and m.municipality_code = a.area_code
)
select
    b.area_code, n.area_name_fi, b.area_type, n.area_type_fi, n.area_sort,
    b.specialty_code,
    case when b.specialty_code = 'ALL' then 'Kaikki erikoisalat' else coalesce(sp.specialty_name_fi, b.specialty_code) end as specialty_name_fi,
    b.service_type,
    st.service_type_fi,
    b.year,
    make_date(b.year, 12, 31) as year_end,
    b.year = s.base_year as is_base_year,
    case when b.year = s.base_year then 'toteutunut (perusvuosi)' else 'ennuste' end as kind_fi,
    c.suppressed,
    -- every measure of the band (central line, _low, _high), rounded; NULL in a withheld cell
    case when c.suppressed then null else round(columns(b.* exclude (area_code, area_type, specialty_code, service_type, year))) end,
    s.base_year,
    -- the headline figures, computed here and not on the page: the horizon row, and each measure's change from
    -- the base year in per cent (of the rounded published values)
    b.year = max(b.year) over (partition by b.area_code, b.area_type, b.specialty_code, b.service_type) as is_horizon,
    case when c.suppressed then null else 100.0 * (round(b.visits) / nullif(first_value(round(b.visits)) over w, 0) - 1) end as visits_change_pct,
    case when c.suppressed then null else 100.0 * (round(b.care_periods) / nullif(first_value(round(b.care_periods)) over w, 0) - 1) end as care_periods_change_pct,
    case when c.suppressed then null else 100.0 * (round(b.bed_days) / nullif(first_value(round(b.bed_days)) over w, 0) - 1) end as bed_days_change_pct,
    case when c.suppressed then null else 100.0 * (round(b.cost_eur) / nullif(first_value(round(b.cost_eur)) over w, 0) - 1) end as cost_eur_change_pct,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    n.area_name_sv, n.area_name_en,
    word('area_type', b.area_type, 'sv') as area_type_sv, word('area_type', b.area_type, 'en') as area_type_en,
    coalesce(word('specialty', b.specialty_code, 'sv'), sp.specialty_name_fi, b.specialty_code) as specialty_name_sv,
    coalesce(word('specialty', b.specialty_code, 'en'), sp.specialty_name_fi, b.specialty_code) as specialty_name_en,
    st.service_type_sv,
    st.service_type_en,
    word('projection_kind', case when b.year = s.base_year then 'base' else 'forecast' end, 'sv') as kind_sv,
    word('projection_kind', case when b.year = s.base_year then 'base' else 'forecast' end, 'en') as kind_en
from band b
join intermediate.int_foresight__cells c using (area_code, area_type, specialty_code, service_type)
join area_names n using (area_code, area_type)
left join staging.stg_service_use__specialties sp using (specialty_code)
left join staging.seed_service_types st on st.service_type = b.service_type
cross join settings s
window w as (partition by b.area_code, b.area_type, b.specialty_code, b.service_type order by b.year = s.base_year desc, b.year)
order by n.area_sort, b.area_code, b.specialty_code, b.service_type, b.year;
