-- The rows of population by age the projection has (a query, no table): none = the foresight marts are empty.
select count(*) as n from staging.stg_population__by_age;
