-- Yearly service-use totals for the implementation page: protected totals, never partial sums.
select * from marts.service_use_yearly
