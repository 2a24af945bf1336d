-- One round of complementary suppression. A line (int_service_use__suppression_lines) with exactly one withheld
-- cell would let that cell be recomputed, so withhold one more cell of it: the member with the smallest positive
-- protected count, else the total. The job repeats the round until no line has exactly one withheld cell.
create or replace temp table su_pick as
with
open_lines as (
    select l.line_id
    from staging.int_service_use__suppression_lines l
    join staging.int_service_use__cells c using (cell_id)
    group by l.line_id
    having count(*) filter (where c.suppressed) = 1
),
candidates as (
    select l.cell_id,
           row_number() over (partition by l.line_id
                              order by (c.protected_n > 0) desc, l.is_total, c.protected_n, c.cell_id) as pick_rank
    from staging.int_service_use__suppression_lines l
    join open_lines using (line_id)
    join staging.int_service_use__cells c using (cell_id)
    where not c.suppressed
)
select distinct cell_id from candidates where pick_rank = 1;

update staging.int_service_use__cells
set suppressed = true, suppression = 'complementary'
where cell_id in (select cell_id from temp.su_pick);
