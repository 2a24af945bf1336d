-- marts.service_use_monthly (public contract, docs/service-use.md): service use per month × home municipality ×
-- specialty × service type, small-number protected. The first ten columns are the contract; more may follow.
create or replace view marts.service_use_monthly as
select
    month, municipality_code, specialty_code, service_type,
    visits, care_periods, bed_days, patients, cost_eur,
    is_suppressed,
    suppression, year, municipality_name_fi, specialty_name_fi, service_type_fi, population,
    visits_per_1000, care_periods_per_1000, bed_days_per_1000, patients_per_1000, cost_eur_per_resident,
    visits_share_of_district, care_periods_share_of_district, cost_eur_share_of_district, source,
    is_care_periods_withheld,
    municipality_name_sv, municipality_name_en, specialty_name_sv, specialty_name_en, service_type_sv, service_type_en
from marts.service_use_summary
where municipality_level = 'municipality' and specialty_code <> 'ALL' and service_type <> 'ALL';
