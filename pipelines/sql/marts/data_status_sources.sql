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
       round(date_diff('minute', l.last_success_at, now()) / 60.0, 1) as age_hours
from (
    select 'sotkanet' as source, 'sotkanet' as job, 'THL Sotkanet -indikaattorit' as name_fi,
           coalesce((select bool_or(is_synthetic) from marts.sotkanet_values), false) as is_demo,
           'Lähde: THL / Sotkanet (CC BY 4.0) ja indikaattorien tuottajat' as attribution_fi
    union all
    select 'service_use', 'service-use', 'Erikoissairaanhoidon palvelukäyttö',
           'service_use' in (select source from demo_files),
           'Lähde: sairaanhoitopiirin / hyvinvointialueen palvelukäyttöpoiminnat'
    union all
    select 'unit_data', 'unit-data', 'Yksiköiden omat kuukausitiedot',
           coalesce((select bool_or(is_demo) from marts.unit_data_monthly), false),
           'Lähde: organisaation omat henkilöstö- ja toimintatiedot'
    union all
    select 'population', 'population', 'Väestö ikäryhmittäin ja väestöennuste',
           'population' in (select source from demo_files),
           'Lähde: Tilastokeskus, väestörakenne ja väestöennuste (CC BY 4.0)'
    union all
    select 'plan', 'plan', 'Palvelusopimukset ja talousarviot',
           'plan' in (select source from demo_files),
           'Lähde: hyvinvointialueen palvelusopimukset (tilaukset) ja talousarvio'
    union all
    select 'regions', 'regions', 'Kuntaluokitukset ja aluejaot', false,
           'Lähde: Tilastokeskus, kuntaluokitukset (CC BY 4.0); THL / Sotkanet alueluettelo'
) s
left join last_success l using (job)
order by s.source;
