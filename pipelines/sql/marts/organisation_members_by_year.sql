-- marts.organisation_members_by_year: which municipalities belong to each organisation in each year
-- (regions.first_year … latest key year). A member counts for a year when its validity touches that year.
-- Members of a sub-area also count for its parent (membership = 'via <sub-area>'). current_code is the member's
-- code on the latest boundaries (Sotkanet reports on current boundaries, so Uusi Oulu's Haukipudas in 2011 is
-- counted in Oulu's current-boundary value: aggregate over DISTINCT current_code).
create or replace table marts.organisation_members_by_year as
with recursive
settings as (select * from staging.region_settings),
years as (select unnest(range(s.first_year, s.last_key_year + 1))::integer as year from settings s),
orgs as (select * from staging.stg_config__organisations),
direct as (
    select m.organisation_code, y.year, m.municipality_code, 'member' as membership
    from staging.stg_config__organisation_members m
    join years y on y.year between year(m.valid_from) and coalesce(year(m.valid_to), 9999)
    union all
    select o.organisation_code, r.year, r.region_code, 'region ' || o.region_category || ' ' || o.region_code
    from orgs o
    join marts.regions r
      on r.region_category = 'KUNTA' and r.is_active
     and r.year between year(o.valid_from) and coalesce(year(o.valid_to), 9999)
     and (   (o.region_category = 'HYVINVOINTIALUE' and r.wellbeing_county_code = o.region_code)
          or (o.region_category = 'SAIRAANHOITOPIIRI' and r.hospital_district_code = o.region_code)
          or (o.region_category = 'MAAKUNTA' and r.maakunta_code = o.region_code))
),
tree(ancestor, descendant, depth) as (
    select organisation_code, organisation_code, 0 from orgs
    union all
    select t.ancestor, o.organisation_code, t.depth + 1
    from tree t join orgs o on o.parent_code = t.descendant
    where t.depth < 10
),
latest_map as (
    select municipality_code, harmonised_code, municipality_name_fi, municipality_name_sv, municipality_name_en
    from marts.municipality_code_map
    where boundary_year = (select last_key_year from settings)
)
select
    t.ancestor                                                     as organisation_code,
    d.year,
    d.municipality_code,
    coalesce(lm.municipality_name_fi, d.municipality_code)         as municipality_name_fi,
    coalesce(lm.harmonised_code, d.municipality_code)              as current_code,
    case when t.depth = 0 then d.membership else 'via ' || t.descendant end as membership,
    coalesce(lm.municipality_name_sv, d.municipality_code)         as municipality_name_sv,
    coalesce(lm.municipality_name_en, d.municipality_code)         as municipality_name_en
from direct d
join tree t on t.descendant = d.organisation_code
left join latest_map lm on lm.municipality_code = d.municipality_code
order by 1, 2, 3;
