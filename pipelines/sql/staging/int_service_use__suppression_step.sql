-- One round of complementary suppression. A line (int_service_use__suppression_lines) is open when, for some
-- measure, exactly one of its withheld cells has a non-zero value: that value would be the published total minus
-- the published members. For every open line withhold one more cell: the one that closes most of the line's open
-- measures, preferring members with a positive protected count, the smallest first, and the total last.
-- The job repeats the round until no line is open.
create or replace temp table su_pick as
with
line_state as (
    select l.line_id,
           count(*) filter (where c.suppressed and c.protected_n <> 0) = 1            as open_n,
           count(*) filter (where c.suppressed and coalesce(c.patients, 0) <> 0) = 1  as open_p,
           count(*) filter (where c.suppressed and c.visits <> 0) = 1                 as open_v,
           count(*) filter (where c.suppressed and c.care_periods <> 0) = 1           as open_c,
           count(*) filter (where c.suppressed and c.bed_days <> 0) = 1               as open_b,
           count(*) filter (where c.suppressed and coalesce(c.cost_eur, 0) <> 0) = 1  as open_e
    from staging.int_service_use__suppression_lines l
    join staging.int_service_use__cells c using (cell_id)
    group by l.line_id
),
open_lines as (
    select * from line_state where open_n or open_p or open_v or open_c or open_b or open_e
),
candidates as (
    select l.cell_id,
           row_number() over (
               partition by l.line_id
               order by (cast(o.open_n and c.protected_n <> 0 as integer)
                       + cast(o.open_p and coalesce(c.patients, 0) <> 0 as integer)
                       + cast(o.open_v and c.visits <> 0 as integer)
                       + cast(o.open_c and c.care_periods <> 0 as integer)
                       + cast(o.open_b and c.bed_days <> 0 as integer)
                       + cast(o.open_e and coalesce(c.cost_eur, 0) <> 0 as integer)) desc,
                        (c.protected_n > 0) desc, l.is_total, c.protected_n, c.cell_id) as pick_rank
    from staging.int_service_use__suppression_lines l
    join open_lines o using (line_id)
    join staging.int_service_use__cells c using (cell_id)
    where not c.suppressed
)
select distinct cell_id from candidates where pick_rank = 1;

update staging.int_service_use__cells
set suppressed = true, suppression = 'complementary'
where cell_id in (select cell_id from temp.su_pick);
