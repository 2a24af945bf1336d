-- One row per municipality per year, typed and renamed. Grouping codes are NULL where the key has none that year
-- (hospital districts are filled 2017-2022, ERVA 2020 and 2022, wellbeing services counties 2018-, collaboration
-- areas (yhteistyöalue, YTA) 2023-).
create or replace table staging.stg_statfi__municipality_years as
select
    cast(year as integer)                 as year,
    municipality_code,
    municipality_name_fi                  as name_fi,
    municipality_name_sv                  as name_sv,
    municipality_name_en                  as name_en,
    nullif(maakunta_code, '')             as maakunta_code,
    maakunta_name_fi,
    nullif(sairaanhoitop_code, '')        as hospital_district_code,
    sairaanhoitop_name_fi                 as hospital_district_name_fi,
    sairaanhoitop_name_sv                 as hospital_district_name_sv,
    nullif(erva_code, '')                 as erva_code,
    erva_name_fi,
    nullif(hyvinvointialue_code, '')      as wellbeing_county_code,
    hyvinvointialue_name_fi               as wellbeing_county_name_fi,
    hyvinvointialue_name_sv               as wellbeing_county_name_sv,
    nullif(yhteistyoalue_code, '')        as yta_code,
    yhteistyoalue_name_fi                 as yta_name_fi,
    source_file,
    source_line
from raw.statfi_municipality_key
where try_cast(year as integer) between 1900 and 2100
  and regexp_full_match(municipality_code, '[0-9]{3}');
