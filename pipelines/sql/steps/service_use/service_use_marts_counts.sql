-- The counts of a service-use marts build (a query, no table): cube cells, withheld cells, published rows.
select count(*) as cells, count(*) filter (where suppressed) as suppressed,
       (select count(*) from marts.service_use_summary) + (select count(*) from marts.service_use_harmonised) as rows
from intermediate.int_service_use__cells;
