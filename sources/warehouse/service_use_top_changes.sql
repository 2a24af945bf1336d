-- The implementation page's "largest changes" table: each organiser's 15 largest changes from the previous year
-- (municipality × specialty, every service type), rank and figures from marts.service_use_yearly.
select year, county_org_id, municipality_level, municipality_code, municipality_name_fi, specialty_code, specialty_name_fi,
       service_type, municipality_name_sv, municipality_name_en, specialty_name_sv, specialty_name_en,
       cost_eur_prev_year, cost_eur, cost_eur_change, cost_eur_change_rank
from marts.service_use_yearly
where municipality_level = 'municipality' and specialty_code <> 'ALL' and service_type = 'ALL'
  and cost_eur_change_rank <= 15
order by county_org_id, year, cost_eur_change_rank
