-- One service-use extract's good groups (temp.su_checked) into staging.stg_service_use__monthly, replacing the rows
-- of earlier loads of the same source ($source) for the months it covers ($first..$last). The import reads the
-- first statement's deleted rows as "rows replaced".
delete from staging.stg_service_use__monthly
where source_name = $source and month between cast($first as date) and cast($last as date);

insert into staging.stg_service_use__monthly (month, municipality_code, specialty_code, service_type, age_group,
    visits, care_periods, bed_days, patients, cost_eur, source_rows, source_name, source_file, load_id)
select month, municipality_code, specialty_code, service_type, age_group,
       cast(visits as bigint), cast(care_periods as bigint), cast(bed_days as bigint), cast(patients as bigint),
       cast(cost_eur as decimal(18,2)), source_rows, $source, $file, $load_id
from temp.su_checked
where bad_column is null;
