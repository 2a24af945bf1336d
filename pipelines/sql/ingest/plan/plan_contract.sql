-- temp.plan_contract: the input contract of the plan source being imported (docs/plan.md): column, kind (year, month,
-- code, count, euros, version), whether it is required, and its position (the first problem of a line is the one of
-- the lowest priority, then of the earliest column). Its rows are inserted by pipelines/plan/import.ts (PLAN_COLUMNS).
create or replace temp table plan_contract (column_name varchar, kind varchar, required boolean, position integer);
