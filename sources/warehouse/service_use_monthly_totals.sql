-- The implementation page's monthly charts in its default view (every specialty, every service type): the rows of
-- service_use.sql with specialty_code and service_type 'ALL', about 2 % of them, so the page opens light.
select month, year, municipality_code, specialty_code, service_type,
       visits, cost_eur, visits_per_1000, cost_eur_per_resident
from marts.service_use_summary
where municipality_level in ('municipality', 'county') and specialty_code = 'ALL' and service_type = 'ALL'
order by municipality_code, month
