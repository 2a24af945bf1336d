-- Fills raw.sotkanet_regions (emptied by the loader) from a `/regions` response file ($file, read through $path: the same, glob characters escaped), already validated by the parser.
insert into raw.sotkanet_regions
select id, code, category, title.fi, title.sv, title.en, coalesce(memberOf, []), uri, $file, now()
from read_json($path, format = 'array', columns = {
    id: 'BIGINT', code: 'VARCHAR', category: 'VARCHAR',
    title: 'STRUCT(fi VARCHAR, sv VARCHAR, en VARCHAR)', memberOf: 'BIGINT[]', uri: 'VARCHAR'
});
