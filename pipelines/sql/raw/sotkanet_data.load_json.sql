-- Adds one indicator's rows to raw.sotkanet_data with a `/json` response file ($file, read through $path: the same, glob characters escaped; the loader first deletes the indicator's earlier rows; an array of
-- {indicator, region, year, gender, value, absValue}; a missing value/absValue stays NULL).
insert into raw.sotkanet_data
select d.indicator, d.region, d.year, d.gender, d.value, d.absValue, $indicator_id,
       r.category, r.code, $file, d.source_line, $run_id, now()
from (
    select *, row_number() over () as source_line
    from read_json($path, format = 'array', columns = {
        indicator: 'VARCHAR', region: 'VARCHAR', year: 'VARCHAR', gender: 'VARCHAR',
        value: 'VARCHAR', absValue: 'VARCHAR'
    })
) d
left join raw.sotkanet_regions r on r.id = try_cast(d.region as bigint);
