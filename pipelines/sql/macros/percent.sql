-- percent(part, whole): part as a percentage of whole to one decimal, as the marts publish percentages (docs/plan.md,
-- "Rounding"), rounded half away from zero like every round() of the marts: 1 of 80 is 1.25 % → 1.3, in every run.
-- Both figures are taken to the millionth and divided exactly in integers. (round() of a double quotient rounds a tie
-- by the quotient's last bits, which a sum of doubles added in another order flips between runs: 1.2 or 1.3.)
-- NULL when either is NULL or whole is not above 0.

-- millionths(x): x as a whole number of millionths (exact; what lies below a millionth is rounded off first).
create or replace macro millionths(x) as cast(cast(x as decimal(38, 6)) * 1000000 as hugeint);

create or replace macro percent(part, whole) as
    case when millionths(whole) > 0
         then sign(millionths(part)) * ((abs(millionths(part)) * 2000 + millionths(whole)) // (2 * millionths(whole))) / 10.0
    end;
