-- marts.foresight_area_members: the areas marts.service_need_projection is published for and their member
-- municipalities (current boundaries): wellbeing counties, collaboration areas, sub-areas and the pilot area. Public
-- knowledge, published so that the disclosure check (docs/disclosure.md) reads the hierarchy from the published file.
create or replace table marts.foresight_area_members as
select area_type, area_code, municipality_code
from intermediate.int_foresight__areas
where area_type <> 'municipality'
order by area_type, area_code, municipality_code;
