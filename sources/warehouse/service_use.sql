-- Monthly service use for the implementation page's charts when a specialty or a service type is chosen: only the
-- columns the charts show (the published, small-number protected cube of marts.service_use_summary), municipalities
-- and their organisers' (wellbeing services counties') totals. The default view reads service_use_monthly_totals.
select month, year, municipality_code, specialty_code, service_type,
       visits, cost_eur, visits_per_1000, cost_eur_per_resident
from marts.service_use_summary
where municipality_level in ('municipality', 'county')
order by municipality_code, specialty_code, service_type, month
