-- Drops the temporary tables of the service-use marts step (no table).
drop table if exists temp.int_service_use__org_lines;
drop table if exists temp.su_org_index;
drop table if exists temp.su_organisers;
drop table if exists temp.su_municipality_map;
drop table if exists temp.int_service_use__suppression_lines;
