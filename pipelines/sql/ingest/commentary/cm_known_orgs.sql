-- The organisation, service-area and unit codes a comment may name ($ids: a JSON list), for int_commentary__checked.sql.
create or replace temp table cm_known_orgs as select unnest(from_json($ids, '["VARCHAR"]')) as id;
