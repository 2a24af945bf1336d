-- forecast_status(withheld, low, high, target): the honest status of a year-end forecast band against its target
-- (docs/plan.md) as a code: 'above' / 'below' only when the whole band lies above / below the target, 'within'
-- otherwise, NULL when the figures are withheld or the band is unknown. forecast_status_word(…, kind, language) says
-- it in words from the vocabulary seed (pipelines/sql/seeds/words.csv, forecast_status_agreement / _budget; kind
-- 'agreement' or 'budget'), e.g. 'arvio ylittää sopimuksen'. Made when the warehouse is opened (pipelines/warehouse.ts).
-- The figures are compared to the cent, as the marts publish them: a band that ends exactly at the target is 'within',
-- and sums of doubles added in another order (last-bit differences) cannot flip the status between runs.
create or replace macro forecast_status(withheld, low, high, target) as
    case
        when withheld or low is null or high is null then null
        when round(low, 2) > round(target, 2) then 'above'
        when round(high, 2) < round(target, 2) then 'below'
        else 'within'
    end;

-- (The seed is read here as word() reads it: a macro may only call macros made before it, and word.sql comes later.)
create or replace macro forecast_status_word(withheld, low, high, target, kind, l) as (
    select case l when 'sv' then w.sv when 'en' then w.en else w.fi end
    from staging.seed_words w
    where w.vocabulary = 'forecast_status_' || kind and w.code = forecast_status(withheld, low, high, target)
);
