-- What the projection lacks (a query, no table): municipalities with service use in the base year but no population
-- by age (not projected), and the last year of population the projection reaches (before the horizon: it stops there).
select (select count(distinct municipality_code) from intermediate.int_service_use__yearly
        where year = (select base_year from intermediate.int_foresight__settings)
          and municipality_code not in (select municipality_code from intermediate.int_foresight__projection)) as missing,
       (select max(year) from intermediate.int_foresight__population) as last;
