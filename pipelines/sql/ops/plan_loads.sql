-- ops.plan_loads: the plan files' loads (docs/plan.md; source plan_agreements / plan_budgets), a view of
-- ops.file_loads with the columns of the table it replaced.
create or replace view ops.plan_loads as
select * exclude (period_start, period_end) from ops.file_loads where source in ('plan_agreements', 'plan_budgets');
