-- The rows the warehouse holds of one indicator (a query, no table): an empty answer for an indicator with rows is
-- an error for that indicator.
select count(*) as n from raw.sotkanet_data where indicator_id = $id;
