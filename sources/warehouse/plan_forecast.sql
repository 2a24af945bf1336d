-- Plan against actual for /toteutus and /palvelualueet (docs/plan.md): agreement, published actual to date, year-end forecast.
select * from marts.plan_forecast
