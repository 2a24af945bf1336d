-- The specialty (erikoisala) code list shipped in config/specialties.csv ($path), one row per code.
create or replace table staging.stg_service_use__specialties as
select upper(trim(specialty_code)) as specialty_code, trim(name_fi) as specialty_name_fi
from read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"',
              columns = {'specialty_code': 'VARCHAR', 'name_fi': 'VARCHAR'})
where nullif(trim(specialty_code), '') is not null;
