-- temp.su_organisers: the organisers (wellbeing services counties of the organisation model), whose totals the
-- disclosure step protects in every slice (/toteutus).
create or replace temp table su_organisers as
select organisation_code as org_id from staging.stg_config__organisations where organisation_type = 'wellbeing_county';
