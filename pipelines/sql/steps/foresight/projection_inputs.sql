-- What the projection has to work with (a query, no table): the base year and the last year of population history
-- (intermediate.int_foresight__settings).
select base_year, last_history_year from intermediate.int_foresight__settings;
