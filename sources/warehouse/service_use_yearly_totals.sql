-- The implementation page's yearly figures in its default view (every specialty, every service type): the columns it
-- shows of marts.service_use_yearly, organisers and municipalities. Another choice reads service_use_yearly.sql.
select year, municipality_level, municipality_code, municipality_name_fi, county_org_id, specialty_code, service_type,
       visits, visits_prev_same_months, visits_change_ytd, cost_eur, cost_eur_prev_same_months, cost_eur_change_ytd,
       withheld_reason_fi, prev_withheld_reason_fi, through_month, population_fi,
       municipality_name_sv, municipality_name_en, withheld_reason_sv, withheld_reason_en,
       prev_withheld_reason_sv, prev_withheld_reason_en, population_sv, population_en,
       visits_per_1000, cost_eur_per_resident, cost_eur_per_resident_rank, cost_eur_share_of_county
from marts.service_use_yearly
where municipality_level in ('municipality', 'county') and specialty_code = 'ALL' and service_type = 'ALL'
order by county_org_id, municipality_code, year
