-- marts.indicator_dictionary: the data dictionary of the scorecard (docs/scorecard.md): every registry indicator
-- with its definition, formula, source, owner, targets and freshness, for the dashboards to render.
create or replace table marts.indicator_dictionary as
with
freshness as (
    select indicator_id,
           max(period_start) filter (where is_present) as latest_period,
           max(loaded_at) as loaded_at, max(source_updated_at) as source_updated_at,
           count(*) filter (where value is not null) as values_count,
           count(*) filter (where is_suppressed) as suppressed_count,
           bool_or(is_demo) as has_demo_data
    from intermediate.int_scorecard__rows group by indicator_id
),
completeness as (
    select indicator_id, sum(periods_expected) as periods_expected, sum(periods_present) as periods_present,
           count(*) filter (where not is_complete) as organisations_incomplete
    from marts.scorecard_completeness group by indicator_id
),
-- Targets in words: Finnish numbers (decimal comma; English: a decimal point) and the organisation's name or type,
-- never internal codes, in each language.
target_parts as (
    select t.indicator_id, t.entry,
           case when t.target_low = t.target_high then regexp_replace(cast(t.target_low as varchar), '\.0$', '')
                else regexp_replace(cast(t.target_low as varchar), '\.0$', '') || '–' || regexp_replace(cast(t.target_high as varchar), '\.0$', '') end as target_range,
           coalesce(o.name_fi, word('org_types', t.org_type, 'fi'), 'kaikki') as who_fi,
           coalesce(o.name_sv, word('org_types', t.org_type, 'sv'), 'alla') as who_sv,
           coalesce(o.name_en, word('org_types', t.org_type, 'en'), 'all') as who_en,
           strftime(t.period_from, '%Y-%m') as from_month, strftime(t.period_to, '%Y-%m') as to_month
    from staging.stg_config__targets t
    left join intermediate.int_scorecard__orgs o on o.org_id = t.org_id
),
targets as (
    select indicator_id,
           string_agg(replace(target_range, '.', ',') || ' (' || who_fi
               || coalesce(', ' || from_month || '–' || to_month, ', ' || from_month || ' alkaen', ', ' || to_month || ' asti', '') || ')',
               '; ' order by entry) as targets_fi,
           string_agg(replace(target_range, '.', ',') || ' (' || who_sv
               || coalesce(', ' || from_month || '–' || to_month, ', från ' || from_month, ', till ' || to_month, '') || ')',
               '; ' order by entry) as targets_sv,
           string_agg(target_range || ' (' || who_en
               || coalesce(', ' || from_month || '–' || to_month, ', from ' || from_month, ', until ' || to_month, '') || ')',
               '; ' order by entry) as targets_en,
           count(*) as target_count
    from target_parts
    group by indicator_id
)
select
    i.indicator_id, i.name_fi, i.name_sv, i.name_en, i.description, i.perspective,
    (select s.perspective_fi from staging.seed_perspectives s where s.perspective = i.perspective) as perspective_fi,
    i.level, i.levels, i.is_strategic, i.is_implementation, i.is_operational,
    i.unit, i.decimals, i.formula_text, i.numerator_measure, i.denominator_measure, i.factor,
    i.polarity,
    case i.polarity when 'higher_is_better' then 'suurempi on parempi' when 'lower_is_better' then 'pienempi on parempi'
         else 'tavoitealue' end                                                as polarity_fi,
    i.period_type, array_to_string(i.org_types, ',') as org_types, i.source, i.attribution, i.owner,
    i.tl_mode as traffic_light_mode, i.tl_yellow as traffic_light_yellow, i.weight, i.trend_periods,
    i.expected_from, i.expected_to, i.allowed_min, i.allowed_max,
    t.targets_fi, coalesce(t.target_count, 0) as target_count,
    f.latest_period, f.loaded_at, f.source_updated_at, coalesce(f.values_count, 0) as values_count,
    coalesce(f.suppressed_count, 0) as suppressed_count,
    c.periods_expected, c.periods_present, coalesce(c.organisations_incomplete, 0) as organisations_incomplete,
    i.is_demo or coalesce(f.has_demo_data, false) as is_demo,
    i.note, i.sort_order, i.registry_file,
    -- for pages: Finnish words instead of codes, a period label instead of a date, a truthful credit for demo data
    array_to_string(list_transform(string_split(i.levels, ','), l -> case l when 'strategic' then 'strateginen'
        when 'implementation' then 'toimeenpano' when 'operational' then 'operatiivinen' else l end), ', ') as levels_fi,
    '#,##0' || case when i.decimals > 0 then '.' || repeat('0', i.decimals) else '' end as value_fmt,
    -- the formula in words for pages (the measure ids are for the registry)
    regexp_replace(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
            i.formula_text,
            'service_use.outpatient_visits', 'poliklinikkakäynnit'), 'service_use.inpatient_care_periods', 'hoitojaksot'),
            'service_use.bed_days', 'hoitopäivät'), 'service_use.cost_eur', 'kustannukset (€)'),
            'population.total', 'väestö 31.12.'), 'unit.sickness_absence_days', 'sairauspoissaolopäivät'),
            'unit.staff_days', 'henkilöstön työpäivät'), 'unit.staff_htv', 'henkilötyövuodet'),
            'unit.overtime_hours', 'ylityötunnit'), 'unit.visits', 'käynnit'), 'unit.queue_length', 'jonon pituus'),
            'unit.waiting_weighted_days', 'odotuspäivät jonolla painotettuna'), 'unit.waiting_weight', 'jonon pituus'),
            'unit.feedback_points', 'palautepisteet'), 'unit.feedback_respondents', 'palautteen vastaajat'),
            'unit.training_days', 'koulutuspäivät'),
        '^sotkanet\.(\d+)$', 'THL / Sotkanet -indikaattori \1')
        .replace('unit.reported_months', 'raportoidut kuukaudet').replace('unit.expected_months', 'odotetut kuukaudet')
        .replace('coverage.sotkanet_present', 'Sotkanet-indikaattorit, joilla on arvo')
        .replace('coverage.sotkanet_expected', 'ladatut Sotkanet-indikaattorit')                 as formula_fi,
    case i.period_type when 'year' then 'vuosi' when 'quarter' then 'neljännes' when 'month' then 'kuukausi' else 'viikko' end as period_type_fi,
    case i.period_type when 'year' then strftime(f.latest_period, '%Y')
         when 'quarter' then strftime(f.latest_period, '%Y') || '/Q' || quarter(f.latest_period)
         when 'month' then strftime(f.latest_period, '%m/%Y') else strftime(f.latest_period, '%G-W%V') end as latest_period_label,
    case when i.is_demo or coalesce(f.has_demo_data, false)
         then 'Esimerkkiaineisto: luvut ovat keksittyjä (demo), eivät lähteen todellisia tietoja. Todellinen lähde olisi: '
              || i.attribution
         else i.attribution end                                                 as attribution_fi,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    (select s.perspective_sv from staging.seed_perspectives s where s.perspective = i.perspective) as perspective_sv,
    (select s.perspective_en from staging.seed_perspectives s where s.perspective = i.perspective) as perspective_en,
    word('polarity', i.polarity, 'sv') as polarity_sv, word('polarity', i.polarity, 'en') as polarity_en,
    word('period_type', i.period_type, 'sv') as period_type_sv, word('period_type', i.period_type, 'en') as period_type_en,
    replace(replace(replace(replace(i.levels, ',', ', '), 'strategic', word('level', 'strategic', 'sv')),
        'implementation', word('level', 'implementation', 'sv')), 'operational', word('level', 'operational', 'sv')) as levels_sv,
    replace(replace(replace(replace(i.levels, ',', ', '), 'strategic', word('level', 'strategic', 'en')),
        'implementation', word('level', 'implementation', 'en')), 'operational', word('level', 'operational', 'en')) as levels_en,
    i.unit as unit_fi, coalesce(word('unit', i.unit, 'sv'), i.unit) as unit_sv, coalesce(word('unit', i.unit, 'en'), i.unit) as unit_en,
    -- the formula's words and the attribution's fixed phrases in Swedish and English (the registry's own words stay)
    phrases(formula_fi, 'sv', v := 'formula_word') as formula_sv, phrases(formula_fi, 'en', v := 'formula_word') as formula_en,
    phrases(attribution_fi, 'sv') as attribution_sv, phrases(attribution_fi, 'en') as attribution_en,
    t.targets_sv, t.targets_en
from staging.stg_config__indicators i
left join freshness f using (indicator_id)
left join completeness c using (indicator_id)
left join targets t using (indicator_id)
order by i.sort_order;
