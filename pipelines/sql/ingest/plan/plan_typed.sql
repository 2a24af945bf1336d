-- temp.plan_typed: a plan file's lines, with the text of every column of its input contract (temp.plan_raw,
-- <column>_text, NULL when empty or absent) and its typed value: codes as they are, numbers read with
-- parse_number ($decimal_comma: the file's numbers may use a decimal comma), a month 1-12 or YYYY-MM of the row's year.
create or replace temp table plan_typed as
select source_line,
       columns('_text$'),
       columns('^(organiser|municipality_code|specialty_code|service_type|organisation|account_group)_text$') as '\1',
       parse_number(columns('^(year|visits|care_periods|bed_days|cost_eur|euros|version)_text$'), $decimal_comma) as '\1',
       case when regexp_full_match(month_text, '\d{1,2}') and cast(month_text as integer) between 1 and 12 then cast(month_text as integer)
            when regexp_full_match(month_text, '\d{4}-(0[1-9]|1[0-2])') and left(month_text, 4) = year_text
            then cast(right(month_text, 2) as integer) end as month
from temp.plan_raw;
