-- The disclosure step's settled parts (docs/disclosure.md, "Reuse of settled parts"): one row per independent part
-- (a year of the service-use cube) of the last run of a step, keyed by a sha256 of everything the part's settling
-- reads (its cells' counts and flags, euros, lines, the attacker's equations, the step's own code). A later run
-- whose part has the same key takes its result instead of settling it again. Codes and counts only, no row content:
-- `hidden` is the withheld measures (MEASURE_BITS) of the part's cells in their order, base64.
create table if not exists ops.disclosure_parts (
    step      varchar not null,
    part_key  varchar not null,
    hidden    varchar not null,
    rounds    integer not null,
    attacks   integer not null
);
