-- marts.data_status_sources: one row per data source: when it was last loaded successfully, whether the loaded data
-- is demo data (pages show the "esimerkkiaineisto" notice), and the attribution line pages print.
create or replace table marts.data_status_sources as
with last_success as (
    select job, max(finished_at) as last_success_at
    from ops.runs where outcome = 'success' group by job
),
demo_files as (  -- the sources whose loaded files include one from the demo folder (data/demo/)
    select source from (
        select 'service_use' as source, source_file from ops.service_use_loads where status = 'loaded'
        union all
        select 'population', source_file from staging.stg_population__by_age
        union all
        select 'plan', source_file from ops.plan_loads where status = 'loaded'
    )
    where replace(source_file, '\', '/') like '%/data/demo/%'
)
select s.source, s.job, s.name_fi, s.is_demo, s.attribution_fi, l.last_success_at,
       strftime(l.last_success_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M') as last_success_at_fi,
       s.name_sv, s.name_en, s.attribution_sv, s.attribution_en,
       strftime(l.last_success_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M') as last_success_at_sv,
       strftime(l.last_success_at at time zone 'Europe/Helsinki', '%-d/%-m/%Y %H:%M') as last_success_at_en,
       round(date_diff('minute', l.last_success_at, now()) / 60.0, 1) as age_hours
from (
    select 'sotkanet' as source, 'sotkanet' as job, 'THL Sotkanet -indikaattorit' as name_fi,
           coalesce((select bool_or(is_synthetic) from marts.sotkanet_values), false) as is_demo,
           'Lähde: THL / Sotkanet (CC BY 4.0) ja indikaattorien tuottajat' as attribution_fi,
           'THL Sotkanet-indikatorer' as name_sv, 'THL Sotkanet indicators' as name_en,
           'Källa: THL / Sotkanet (CC BY 4.0) och indikatorernas producenter' as attribution_sv,
           'Source: THL / Sotkanet (CC BY 4.0) and the indicators'' producers' as attribution_en
    union all
    select 'service_use', 'service-use', 'Erikoissairaanhoidon palvelukäyttö',
           'service_use' in (select source from demo_files),
           'Lähde: sairaanhoitopiirin / hyvinvointialueen palvelukäyttöpoiminnat',
           'Användning av specialiserad sjukvård', 'Use of specialist care',
           'Källa: sjukvårdsdistriktets / välfärdsområdets uttag av serviceanvändning',
           'Source: the hospital district''s / wellbeing services county''s service-use extracts'
    union all
    select 'unit_data', 'unit-data', 'Yksiköiden omat kuukausitiedot',
           coalesce((select bool_or(is_demo) from marts.unit_data_monthly), false),
           'Lähde: organisaation omat henkilöstö- ja toimintatiedot',
           'Enheternas egna månadsuppgifter', 'The units'' own monthly data',
           'Källa: organisationens egna personal- och verksamhetsuppgifter',
           'Source: the organisation''s own staff and activity data'
    union all
    select 'population', 'population', 'Väestö ikäryhmittäin ja väestöennuste',
           'population' in (select source from demo_files),
           'Lähde: Tilastokeskus, väestörakenne ja väestöennuste (CC BY 4.0)',
           'Befolkning efter åldersgrupp och befolkningsprognos', 'Population by age group and population projection',
           'Källa: Statistikcentralen, befolkningsstruktur och befolkningsprognos (CC BY 4.0)',
           'Source: Statistics Finland, population structure and population projection (CC BY 4.0)'
    union all
    select 'plan', 'plan', 'Palvelusopimukset ja talousarviot',
           'plan' in (select source from demo_files),
           'Lähde: hyvinvointialueen palvelusopimukset (tilaukset) ja talousarvio',
           'Serviceavtal och budgetar', 'Service agreements and budgets',
           'Källa: välfärdsområdets serviceavtal (beställningar) och budget',
           'Source: the wellbeing services county''s service agreements (orders) and budget'
    union all
    select 'regions', 'regions', 'Kuntaluokitukset ja aluejaot', false,
           'Lähde: Tilastokeskus, kuntaluokitukset (CC BY 4.0); THL / Sotkanet alueluettelo',
           'Kommunklassificeringar och regionindelningar', 'Municipal classifications and regional divisions',
           'Källa: Statistikcentralen, kommunklassificeringar (CC BY 4.0); THL / Sotkanet regionförteckning',
           'Source: Statistics Finland, municipal classifications (CC BY 4.0); THL / Sotkanet region list'
) s
left join last_success l using (job)
order by s.source;
