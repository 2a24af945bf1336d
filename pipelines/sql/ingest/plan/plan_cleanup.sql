-- Drops the temporary tables of one plan file's import (no table).
drop table if exists temp.plan_raw;
drop table if exists temp.plan_typed;
drop table if exists temp.plan_norm;
drop table if exists temp.plan_types;
drop table if exists temp.plan_areas;
drop table if exists temp.plan_problems;
drop table if exists temp.plan_checks;
drop table if exists temp.plan_contract;
drop table if exists temp.plan_good;
