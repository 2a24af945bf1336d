-- intermediate.int_unit_data__staff_withheld: the unit months whose staff health figures (sickness absence, overtime) are
-- shown only as part of their service area (docs/disclosure.md): units under $min_unit_htv person-years that month
-- ('small'), and, where a service area has exactly one such unit that month, its next smallest unit too
-- ('complementary'), so that the service area's total minus its other units does not give the small unit's figure.
create or replace table intermediate.int_unit_data__staff_withheld as
with
u as (
    select d.unit_code, d.month, d.staff_htv, coalesce(c.service_area_code, d.unit_code) as service_area_code,
           coalesce(d.staff_htv, 0) < $min_unit_htv as small
    from staging.stg_unit_data__monthly d left join staging.stg_config__units c using (unit_code)
),
per_area as (select service_area_code, month, count(*) filter (where small) as small_units from u group by all),
complement as (
    select u.unit_code, u.month
    from u join per_area p using (service_area_code, month)
    where p.small_units = 1 and not u.small
    qualify row_number() over (partition by u.service_area_code, u.month order by u.staff_htv, u.unit_code) = 1
)
select unit_code, month, 'small' as reason from u where small
union all
select unit_code, month, 'complementary' from complement;
