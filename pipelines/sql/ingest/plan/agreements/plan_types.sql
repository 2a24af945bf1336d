-- temp.plan_types: the service-type labels an agreement line may use (label, lower case → type code): the service-use
-- aliases (inserted by pipelines/plan/import.ts from config/service-use-aliases.yaml) and "all" / "kaikki".
create or replace temp table plan_types (label varchar, type_code varchar);
insert into temp.plan_types values ('all', 'ALL'), ('kaikki', 'ALL');
