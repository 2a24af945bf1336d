-- The agreement against the published actual per month, with the forecast path (docs/plan.md).
select * from marts.plan_vs_actual_monthly
