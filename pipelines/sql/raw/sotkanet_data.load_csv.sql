-- Adds one indicator's rows to raw.sotkanet_data with a `/csv` response file ($file, read through $path: the same, glob characters escaped; the loader first deletes the indicator's earlier rows; `;`-separated,
-- header indicator;region;year;gender;primary value;absolute value; empty cells allowed).
insert into raw.sotkanet_data
select d.indicator, d.region, d.year, d.gender, d.value, d.abs_value, $indicator_id,
       r.category, r.code, $file, d.source_line, $run_id, now()
from (
    select *, (row_number() over ()) + 1 as source_line
    from read_csv($path, delim = ';', header = true, quote = '"', auto_detect = false,
                  columns = {'indicator': 'VARCHAR', 'region': 'VARCHAR', 'year': 'VARCHAR', 'gender': 'VARCHAR',
                             'value': 'VARCHAR', 'abs_value': 'VARCHAR'})
) d
left join raw.sotkanet_regions r on r.id = try_cast(d.region as bigint);
