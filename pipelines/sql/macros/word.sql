-- word(vocabulary, code, language): the word of a code in the site language 'fi', 'sv' or 'en', from the vocabulary seed
-- pipelines/sql/seeds/words.csv (staging.seed_words: org types, statuses, service types, specialties, units, …); NULL
-- for a code the vocabulary does not have. The marts publish every such word as <x>_fi, <x>_sv, <x>_en (docs/
-- evidence-offline-patch.md, "Languages"). Made when the warehouse is opened (pipelines/warehouse.ts).
create or replace macro word(v, c, l) as (
    select case l when 'sv' then w.sv when 'en' then w.en else w.fi end
    from staging.seed_words w
    where w.vocabulary = v and w.code = cast(c as varchar)
);
