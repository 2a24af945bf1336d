-- Drops the temporary tables of the foresight step (no table).
drop table if exists temp.int_foresight__suppression_lines;
drop table if exists temp.int_foresight__equations;
