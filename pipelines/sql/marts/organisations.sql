-- marts.organisations: the organisation model (config/organisation.yaml) with Finnish type labels.
create or replace table marts.organisations as
select
    o.organisation_code,
    o.organisation_type,
    case o.organisation_type
        when 'wellbeing_county' then 'hyvinvointialue'
        when 'collaboration_area' then 'yhteistoiminta-alue'
        when 'sub_area' then 'osa-alue'
        when 'service_area' then 'palvelualue'
        else 'muu'
    end                                           as organisation_type_fi,
    o.name_fi,
    -- the Swedish and English names (docs/evidence-offline-patch.md, "Languages"): the model's, else the Finnish one
    coalesce(o.name_sv, o.name_fi)                as name_sv,
    coalesce(o.name_en, o.name_fi)                as name_en,
    o.parent_code,
    o.host_municipality,
    o.valid_from,
    o.valid_to,
    o.region_category,
    o.region_code,
    o.note,
    o.source_file,
    coalesce(word('org_type', o.organisation_type, 'sv'), 'annan') as organisation_type_sv,
    coalesce(word('org_type', o.organisation_type, 'en'), 'other') as organisation_type_en
from staging.stg_config__organisations o
order by o.organisation_type, o.name_fi;
