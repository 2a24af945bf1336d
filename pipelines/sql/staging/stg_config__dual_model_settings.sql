create or replace table staging.stg_config__dual_model_settings (
    org_types   varchar[] not null,
    need_index  varchar[] not null,  -- need indices in order (an ended series, then its successor)
    spread_pct  double not null,
    threshold   double not null,
    change_years integer not null default 3,
    change_spread_pct double not null default 10
);
