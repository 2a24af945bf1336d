-- marts.target_states (docs/roadmap.md): per area and year, the area's position on the dual model
-- (marts.dual_model welfare_score, cost_score), its chosen target point (config/roadmap.yaml target_state) and the
-- Euclidean distance between them on the 0-100 plane:
--   distance = sqrt((target_welfare_score − welfare_score)² + (target_cost_score − cost_score)²)
-- NULL when a score of that year is missing. One row per area of the roadmap and year of the dual model.
create or replace table marts.target_states as
select
    t.org_id,
    coalesce(d.org_name_fi, org.name_fi)          as org_name_fi,
    d.year,
    d.welfare_score,
    d.cost_score,
    d.quadrant,
    t.quadrant_en                                 as target_quadrant_en,
    case t.quadrant_en
        when 'target' then 'tavoite'
        when 'drifting' then 'ajelehtiva'
        when 'not_realistic' then 'epärealistinen'
        else 'terveyserot kasvavat'
    end                                           as target_quadrant,
    t.target_welfare_score,
    t.target_cost_score,
    t.target_year,
    sqrt(power(t.target_welfare_score - d.welfare_score, 2) + power(t.target_cost_score - d.cost_score, 2)) as distance,
    s.is_example,
    -- the words in Swedish and English (docs/evidence-offline-patch.md, "Languages")
    coalesce(d.org_name_sv, org.name_sv, org.name_fi) as org_name_sv,
    coalesce(d.org_name_en, org.name_en, org.name_fi) as org_name_en,
    d.quadrant_name_fi, d.quadrant_name_sv, d.quadrant_name_en,
    word('quadrant', t.quadrant_en, 'fi') as target_quadrant_name_fi,
    word('quadrant', t.quadrant_en, 'sv') as target_quadrant_name_sv,
    word('quadrant', t.quadrant_en, 'en') as target_quadrant_name_en
from staging.stg_config__roadmap_target_states t
join marts.dual_model d on d.org_id = t.org_id
left join marts.organisations org on org.organisation_code = t.org_id
cross join staging.stg_config__roadmap_settings s
order by t.org_id, d.year;
