-- intermediate.int_scorecard__area_members without the organisation model (a service-use run on its own): no areas.
create or replace table intermediate.int_scorecard__area_members (org_id varchar, year integer, municipality_code varchar, depth integer);
