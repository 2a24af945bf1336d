-- parse_number(text, decimal_comma): a number cell of an input file as a double, NULL when it is none. Spaces (also
-- no-break and narrow no-break) are ignored; with decimal_comma, `1.234,50` and `245 310,55` read as numbers.
create or replace macro parse_number(t, decimal_comma) as (
    try_cast(case when decimal_comma and regexp_replace(t, '[\s\x{00A0}\x{202F}]', '', 'g') like '%,%'
                  then replace(replace(regexp_replace(t, '[\s\x{00A0}\x{202F}]', '', 'g'), '.', ''), ',', '.')
                  else regexp_replace(t, '[\s\x{00A0}\x{202F}]', '', 'g') end as double)
);
