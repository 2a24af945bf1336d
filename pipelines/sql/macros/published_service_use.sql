-- What a service-use cell publishes (docs/disclosure.md): the one place of the rule "a withheld cell publishes
-- nothing", read by every mart that publishes the suppressed cube (marts.service_use_summary, _harmonised). c is the
-- cell's row (select … published_counts(c) … from cells c) with visits, care_periods, bed_days, patients, cost_eur,
-- suppressed (every figure withheld), care_withheld (care periods and bed days withheld) and suppression (why).
-- Each returns a struct that the mart spreads into its columns with unnest(): the names are the published ones.

-- published_counts(c): the counts and euros, NULL when withheld, and the flags saying so.
create or replace macro published_counts(c) as {
    'visits':                   case when c.suppressed then null else c.visits end,
    'care_periods':             case when c.suppressed or c.care_withheld then null else c.care_periods end,
    'bed_days':                 case when c.suppressed or c.care_withheld then null else c.bed_days end,
    'patients':                 case when c.suppressed then null else c.patients end,
    'cost_eur':                 case when c.suppressed then null else c.cost_eur end,
    'is_suppressed':            c.suppressed,
    'suppression':              c.suppression,
    'is_care_periods_withheld': c.care_withheld
};

-- published_rates(c, population): per 1 000 residents (euros per resident) of population, NULL when the count is
-- withheld or there is no population.
create or replace macro published_rates(c, population) as {
    'visits_per_1000':       case when not c.suppressed and population > 0
                                  then round(c.visits * 1000.0 / population, 3) end,
    'care_periods_per_1000': case when not c.suppressed and not c.care_withheld and population > 0
                                  then round(c.care_periods * 1000.0 / population, 3) end,
    'bed_days_per_1000':     case when not c.suppressed and not c.care_withheld and population > 0
                                  then round(c.bed_days * 1000.0 / population, 3) end,
    'patients_per_1000':     case when not c.suppressed and population > 0
                                  then round(c.patients * 1000.0 / population, 3) end,
    'cost_eur_per_resident': case when not c.suppressed and population > 0
                                  then round(cast(c.cost_eur as double) / population, 2) end
};
