-- The lines of temp.su_struct that an unterminated double quote made (a query, no table): when the file has no other
-- quotes, it is read again without quoting (read-plan.ts readAgainWithoutQuotes).
select count(*) as n from temp.su_struct where reason like 'UNQUOTED VALUE%';
