-- The registry indicator ids a comment may name ($ids: a JSON list), for int_commentary__checked.sql.
create or replace temp table cm_known_indicators as select unnest(from_json($ids, '["VARCHAR"]')) as id;
