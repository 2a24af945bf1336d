-- raw.sotkanet_reference_regions: Sotkanet's region list as embedded (a real `/regions` response, config
-- regions.sotkanet_regions), with the file it came from ($file; $path is the same file with glob characters escaped).
create or replace table raw.sotkanet_reference_regions as
select id, code, category, title.fi as title_fi, title.sv as title_sv, title.en as title_en, $file as source_file
from read_json($path, format = 'array', columns = {
    id: 'BIGINT', code: 'VARCHAR', category: 'VARCHAR', title: 'STRUCT(fi VARCHAR, sv VARCHAR, en VARCHAR)'
});
