-- forecast_status_fi(withheld, low, high, target, noun): forecast_status_word in Finnish (macros/forecast_status.sql),
-- with the noun of the Finnish text: 'sopimuksen' (agreements) or 'talousarvion' (budgets).
create or replace macro forecast_status_fi(withheld, low, high, target, noun) as
    forecast_status_word(withheld, low, high, target, case noun when 'sopimuksen' then 'agreement' else 'budget' end, 'fi');
