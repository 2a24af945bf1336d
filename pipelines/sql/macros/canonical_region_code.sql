-- canonical_region_code(category, code): the region code used across the warehouse for a Sotkanet region code.
-- Municipalities keep their three digits, other numeric codes lose leading zeros (Sotkanet's hospital district "03"
-- = Statistics Finland's "3"); other codes stay as they are. Made when the warehouse is opened (pipelines/warehouse.ts).
create or replace macro canonical_region_code(category, code) as
    case
        when category = 'KUNTA' and regexp_full_match(code, '[0-9]+') then lpad(code, 3, '0')
        when regexp_full_match(code, '[0-9]+') then coalesce(nullif(ltrim(code, '0'), ''), '0')
        else code
    end;
