-- marts.data_status_warnings: loaded service-use files with a header column that looks like a measure (euros,
-- counts, visits, periods, days) but matched no alias, so its values were ignored (reports/tila.md). Header names
-- only, never row values. At least one row per source (warning_fi NULL when there is nothing to warn about):
-- Evidence writes no parquet file for an empty result, and the site build then fails.
create or replace table marts.data_status_warnings as
select s.source, w.file_name, w.measure_like_columns, w.warning_fi, w.loaded_at, w.loaded_at_fi,
       w.warning_sv, w.warning_en, w.loaded_at_sv, w.loaded_at_en
from (values ('service_use')) s(source)
left join (
    select
        'service_use'                                   as source,
        regexp_extract(source_file, '[^/\\]+$')         as file_name,
        measure_like_columns,
        'Sarake ' || measure_like_columns || ' näyttää mittarilta, mutta mikään alias ei tunnista sitä: sen arvot '
            || 'jätettiin lataamatta (lisää nimi tiedostoon config/service-use-aliases.yaml)' as warning_fi,
        loaded_at,
        strftime(loaded_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M') as loaded_at_fi,
        'Kolumnen ' || measure_like_columns || ' ser ut som ett mått, men inget alias känner igen den: dess värden '
            || 'lästes inte in (lägg till namnet i filen config/service-use-aliases.yaml)' as warning_sv,
        'Column ' || measure_like_columns || ' looks like a measure, but no alias matches it: its values were '
            || 'not loaded (add the name to config/service-use-aliases.yaml)' as warning_en,
        strftime(loaded_at at time zone 'Europe/Helsinki', '%-d.%-m.%Y %H:%M') as loaded_at_sv,
        strftime(loaded_at at time zone 'Europe/Helsinki', '%-d/%-m/%Y %H:%M') as loaded_at_en
    from ops.service_use_loads
    where status = 'loaded' and measure_like_columns is not null
) w using (source)
order by w.loaded_at desc nulls last, w.file_name;
