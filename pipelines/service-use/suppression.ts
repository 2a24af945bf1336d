/**
 * Complementary suppression over the service-use cube (intermediate.int_service_use__cells) and its published additive
 * relations (temp.int_service_use__suppression_lines): pure, deterministic, in memory (a cube of a few hundred
 * thousand cells settles in well under a second, where a SQL round per cascade step took seconds).
 *
 * A line is a total cell and the member cells that add up to it. It is open when, for some measure, exactly one of
 * its withheld cells has a non-zero value: that value would be the published total minus the published members.
 * Each round withholds, in every open line that a cell picked earlier in the round has not already closed, the cell
 * that closes most of the line's open measures, preferring members to the total (a total is not withheld merely
 * because a member is), then the cell that lies in the most open lines (one cell closing several lines), then
 * members with a positive protected count, the smallest first, then the lowest cell id. Rounds repeat over the
 * lines touched by the previous round until no line is open. (docs/disclosure.md)
 */

/** Bits of `nonZero`: which measures of a cell are not zero. */
export const MEASURE_BITS = { protected: 1, patients: 2, visits: 4, carePeriods: 8, bedDays: 16, cost: 32 } as const;

export interface SuppressionInput {
  /** Per cell (index = cell_id - 1): the protected count (patients, or visits + care periods). */
  protectedN: ArrayLike<number>;
  /** Per cell: MEASURE_BITS of its non-zero measures. */
  nonZero: ArrayLike<number>;
  /** Per cell: withheld before complementary suppression (primary). */
  suppressed: ArrayLike<boolean | number>;
  /** The lines, one entry per (line, cell), grouped by line id (sorted). */
  lineIds: ArrayLike<number>;
  lineCells: ArrayLike<number>;
  lineIsTotal: ArrayLike<boolean | number>;
}

export interface SuppressionResult {
  /** Cell indices (cell_id - 1) withheld by complementary suppression, in the order chosen. */
  complementary: number[];
  rounds: number;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

export function complementarySuppression(input: SuppressionInput, maxRounds = 10_000): SuppressionResult {
  const cells = input.protectedN.length;
  const suppressed = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) suppressed[i] = input.suppressed[i] ? 1 : 0;

  // Lines in CSR form: members of line k are entries lineStart[k] .. lineStart[k+1]-1.
  const entries = input.lineIds.length;
  const lineStart: number[] = [];
  for (let e = 0; e < entries; e++) {
    if (e === 0 || input.lineIds[e] !== input.lineIds[e - 1]) lineStart.push(e);
  }
  const lines = lineStart.length;
  lineStart.push(entries);
  // The lines each cell belongs to (CSR again).
  const cellCount = new Uint32Array(cells + 1);
  for (let e = 0; e < entries; e++) cellCount[(input.lineCells[e] as number) + 1]++;
  for (let i = 0; i < cells; i++) cellCount[i + 1] += cellCount[i] as number;
  const cellLines = new Uint32Array(entries);
  const fill = cellCount.slice(0, cells);
  for (let k = 0; k < lines; k++) {
    for (let e = lineStart[k] as number; e < (lineStart[k + 1] as number); e++) {
      const c = input.lineCells[e] as number;
      cellLines[fill[c]++] = k;
    }
  }

  const complementary: number[] = [];
  let affected: number[] = Array.from({ length: lines }, (_, k) => k);
  let rounds = 0;
  const counts = new Int32Array(6);
  const shared = new Uint32Array(cells);
  const picked = new Uint8Array(cells);
  while (affected.length) {
    rounds++;
    if (rounds > maxRounds) throw new Error(`complementary suppression did not settle in ${maxRounds} rounds`);
    // First pass: the open measures of every affected line, and for every cell in how many open lines it lies (a
    // cell that closes several lines at once costs one withheld cell instead of several).
    const openOf = new Map<number, number>();
    for (const k of affected) {
      counts.fill(0);
      const from = lineStart[k] as number;
      const to = lineStart[k + 1] as number;
      for (let e = from; e < to; e++) {
        const c = input.lineCells[e] as number;
        if (!suppressed[c]) continue;
        const nz = input.nonZero[c] as number;
        for (let b = 0; b < 6; b++) if (nz & (1 << b)) counts[b]++;
      }
      let open = 0;
      for (let b = 0; b < 6; b++) if (counts[b] === 1) open |= 1 << b;
      if (!open) continue;
      openOf.set(k, open);
      for (let e = from; e < to; e++) {
        const c = input.lineCells[e] as number;
        if (!suppressed[c] && ((input.nonZero[c] as number) & open)) shared[c] = (shared[c] as number) + 1;
      }
    }
    const picks: number[] = [];
    for (const [k, open] of openOf) {
      const from = lineStart[k] as number;
      const to = lineStart[k + 1] as number;
      // A cell another line picked in this round may already close this line.
      let closed = 0;
      for (let e = from; e < to; e++) {
        const c = input.lineCells[e] as number;
        if (picked[c]) closed |= input.nonZero[c] as number;
      }
      if ((closed & open) === open) continue;
      let best = -1;
      let bestCover = -1;
      let bestShared = -1;
      let bestPositive = -1;
      let bestTotal = 2;
      let bestN = Infinity;
      for (let e = from; e < to; e++) {
        const c = input.lineCells[e] as number;
        if (suppressed[c]) continue;
        const cover = popcount((input.nonZero[c] as number) & open);
        const n = input.protectedN[c] as number;
        const sharedBy = shared[c] as number;
        const positive = n > 0 ? 1 : 0;
        const total = input.lineIsTotal[e] ? 1 : 0;
        const better =
          cover !== bestCover ? cover > bestCover
          : total !== bestTotal ? total < bestTotal
          : sharedBy !== bestShared ? sharedBy > bestShared
          : positive !== bestPositive ? positive > bestPositive
          : n !== bestN ? n < bestN
          : c < best;
        if (best < 0 || better) {
          best = c;
          bestCover = cover;
          bestShared = sharedBy;
          bestPositive = positive;
          bestTotal = total;
          bestN = n;
        }
      }
      if (best >= 0 && !picked[best]) (picked[best] = 1), picks.push(best);
    }
    for (const c of picks) picked[c] = 0;
    for (const k of openOf.keys()) {
      for (let e = lineStart[k] as number; e < (lineStart[k + 1] as number); e++) shared[input.lineCells[e] as number] = 0;
    }
    const next = new Set<number>();
    for (const c of picks) {
      if (suppressed[c]) continue;
      suppressed[c] = 1;
      complementary.push(c);
      for (let j = cellCount[c] as number; j < (cellCount[c + 1] as number); j++) next.add(cellLines[j] as number);
    }
    affected = [...next].sort((a, b) => a - b);
  }
  return { complementary, rounds };
}
