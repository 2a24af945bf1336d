-- phrases(text, language): a Finnish text put together from fixed phrases (vocabulary 'phrase' of the seed
-- pipelines/sql/seeds/words.csv: "Lähde:", "(esimerkkiaineisto, ei todellista tietoa)", the sources' names) with every
-- such phrase in 'sv' or 'en' (longest first); 'fi' gives the text as it is. For the attributions the marts assemble
-- from the registry's words (attribution_sv, attribution_en). Another vocabulary of the seed with `v := '<name>'`:
-- `phrases(formula_fi, 'sv', v := 'formula_word')`, an indicator's formula in words. Made when the warehouse is opened
-- (pipelines/warehouse.ts).
create or replace macro phrases(t, l, v := 'phrase') as (
    select list_reduce(
        list_prepend(t, list(w.fi || chr(9) || case l when 'sv' then w.sv when 'en' then w.en else w.fi end order by length(w.fi) desc)),
        (acc, x) -> replace(acc, split_part(x, chr(9), 1), split_part(x, chr(9), 2)))
    from staging.seed_words w
    where w.vocabulary = v
);
