-- forecast_status_fi(withheld, low, high, target, noun): the honest status of a year-end forecast band against its
-- target (docs/plan.md): 'arvio ylittää <noun>' / 'arvio alittaa <noun>' only when the whole band lies above / below
-- the target, 'ei selvää poikkeamaa' otherwise, NULL when the figures are withheld or the band is unknown. noun:
-- 'sopimuksen' (agreements) or 'talousarvion' (budgets). Made when the warehouse is opened (pipelines/warehouse.ts).
create or replace macro forecast_status_fi(withheld, low, high, target, noun) as
    case
        when withheld or low is null or high is null then null
        when low > target then 'arvio ylittää ' || noun
        when high < target then 'arvio alittaa ' || noun
        else 'ei selvää poikkeamaa'
    end;
