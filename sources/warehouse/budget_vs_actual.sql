-- Budgets against actual and forecast per organisation or service area (docs/plan.md, "Budgets").
select * from marts.budget_vs_actual
