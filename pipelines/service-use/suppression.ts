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
 *
 * Measures are withheld per cell, with one exception (`partial`): a line open only in the inpatient measures (care
 * periods and bed days, which occur only in inpatient periods, so that a specialty's "all service types" total has
 * exactly the inpatient cell's care periods) withholds only those two measures of the cell it picks; the cell's
 * patients, visits and euros stay published. Any other open measure withholds the whole cell.
 */

/** Bits of `nonZero`: which measures of a cell are not zero. */
export const MEASURE_BITS = { protected: 1, patients: 2, visits: 4, carePeriods: 8, bedDays: 16, cost: 32 } as const;
/** Every measure: a whole withheld cell. */
export const WHOLE_CELL = 63;
/** The inpatient measures, withheld on their own where only they are open (`partial`). */
export const INPATIENT_MEASURES = MEASURE_BITS.carePeriods | MEASURE_BITS.bedDays;

export interface SuppressionInput {
  /** Per cell (index = cell_id - 1): the protected count (patients, or visits + care periods). */
  protectedN: ArrayLike<number>;
  /** Per cell: MEASURE_BITS of its non-zero measures. */
  nonZero: ArrayLike<number>;
  /** Per cell: the MEASURE_BITS withheld before complementary suppression (primary: WHOLE_CELL; 0 = published). */
  hidden: ArrayLike<number>;
  /**
   * Per cell (optional): MEASURE_BITS the cell never publishes (a yearly total's patients): unknown to everyone, so
   * a line with such a measure in any cell is never open in it.
   */
  unpublished?: ArrayLike<number>;
  /** The lines, one entry per (line, cell), grouped by line id (sorted). */
  lineIds: ArrayLike<number>;
  lineCells: ArrayLike<number>;
  lineIsTotal: ArrayLike<boolean | number>;
}

export interface SuppressionResult {
  /** Per cell: the measures withheld after complementary suppression (the input's, and more). */
  hidden: Uint8Array;
  rounds: number;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

/** The lines in CSR form (members of line k: entries lineStart[k] .. lineStart[k+1]-1) and each cell's lines. */
export interface LineIndex { lineStart: number[]; lines: number; cellCount: Uint32Array; cellLines: Uint32Array }

/** The line index of input's lines (read only by its users, so one index serves every call over the same lines). */
export function lineIndex(input: Pick<SuppressionInput, 'protectedN' | 'lineIds' | 'lineCells'>): LineIndex {
  const cells = input.protectedN.length;
  const entries = input.lineIds.length;
  const lineStart: number[] = [];
  for (let e = 0; e < entries; e++) if (e === 0 || input.lineIds[e] !== input.lineIds[e - 1]) lineStart.push(e);
  const lines = lineStart.length;
  lineStart.push(entries);
  const cellCount = new Uint32Array(cells + 1);
  for (let e = 0; e < entries; e++) cellCount[(input.lineCells[e] as number) + 1]++;
  for (let i = 0; i < cells; i++) cellCount[i + 1] += cellCount[i] as number;
  const cellLines = new Uint32Array(entries);
  const fill = cellCount.slice(0, cells);
  for (let k = 0; k < lines; k++) {
    for (let e = lineStart[k] as number; e < (lineStart[k + 1] as number); e++) cellLines[fill[input.lineCells[e] as number]++] = k;
  }
  return { lineStart, lines, cellCount, cellLines };
}

/**
 * `since`: the lines were settled before (by this function, for the same cells) and since then only `cells` changed
 * what they withhold and the entries from `fromEntry` on were added: only their lines are looked at first. A line
 * none of whose cells changed is as the previous call left it (closed, or open with no cell that could close it), so
 * the result is the same as looking at every line, in a fraction of the time (the disclosure step settles again
 * after each attacker round).
 */
export function complementarySuppression(
  input: SuppressionInput,
  partial = false,
  maxRounds = 10_000,
  since?: { cells: ArrayLike<number>; fromEntry: number },
  /** lineIndex(input), when the caller has it from an earlier call over the same lines. */
  index: LineIndex = lineIndex(input),
): SuppressionResult {
  const cells = input.protectedN.length;
  const hidden = new Uint8Array(cells);
  for (let i = 0; i < cells; i++) hidden[i] = (input.hidden[i] as number) & WHOLE_CELL;

  const { lineStart, lines, cellCount, cellLines } = index;

  let affected: number[];
  if (since) {
    const first = new Set<number>();
    for (let i = 0; i < since.cells.length; i++) {
      const c = since.cells[i] as number;
      for (let j = cellCount[c] as number; j < (cellCount[c + 1] as number); j++) first.add(cellLines[j] as number);
    }
    for (let k = lines - 1; k >= 0 && (lineStart[k] as number) >= since.fromEntry; k--) first.add(k);
    affected = [...first].sort((a, b) => a - b);
  } else affected = Array.from({ length: lines }, (_, k) => k);
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
        const nz = (input.nonZero[c] as number) & (hidden[c] as number);
        const never = input.unpublished ? (input.unpublished[c] as number) : 0;
        for (let b = 0; b < 6; b++) {
          if (nz & (1 << b)) counts[b]++;
          if (never & (1 << b)) counts[b] += 2;
        }
      }
      let open = 0;
      for (let b = 0; b < 6; b++) if (counts[b] === 1) open |= 1 << b;
      if (!open) continue;
      openOf.set(k, open);
      for (let e = from; e < to; e++) {
        const c = input.lineCells[e] as number;
        if ((input.nonZero[c] as number) & open & ~(hidden[c] as number)) shared[c] = (shared[c] as number) + 1;
      }
    }
    const picks: number[] = [];
    const pickBits: number[] = [];
    for (const [k, open] of openOf) {
      const from = lineStart[k] as number;
      const to = lineStart[k + 1] as number;
      // A cell another line picked in this round may already close this line.
      let closed = 0;
      for (let e = from; e < to; e++) {
        const c = input.lineCells[e] as number;
        if (picked[c]) closed |= (input.nonZero[c] as number) & (picked[c] as number);
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
        const cover = popcount((input.nonZero[c] as number) & open & ~(hidden[c] as number));
        if (!cover) continue;
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
      if (best < 0) continue;
      // Withheld are the whole cell, or (partial) only the inpatient measures when only they are open.
      const bits = partial && !(open & ~closed & ~INPATIENT_MEASURES) ? INPATIENT_MEASURES : WHOLE_CELL;
      if (!picked[best]) picks.push(best);
      picked[best] = (picked[best] as number) | bits;
    }
    for (const c of picks) pickBits.push(picked[c] as number), (picked[c] = 0);
    for (const k of openOf.keys()) {
      for (let e = lineStart[k] as number; e < (lineStart[k + 1] as number); e++) shared[input.lineCells[e] as number] = 0;
    }
    const next = new Set<number>();
    for (let p = 0; p < picks.length; p++) {
      const c = picks[p] as number;
      const bits = (hidden[c] as number) | (pickBits[p] as number);
      if (bits === hidden[c]) continue;
      hidden[c] = bits;
      for (let j = cellCount[c] as number; j < (cellCount[c + 1] as number); j++) next.add(cellLines[j] as number);
    }
    affected = [...next].sort((a, b) => a - b);
  }
  return { hidden, rounds };
}

/**
 * The clean-up after the greedy (docs/disclosure.md): a round picks for many lines at once, so a cell picked early
 * may no longer be needed once later picks closed its lines. Every cell withheld beyond `before`, the largest
 * protected count first (the most information back), is published again, or reduced to its inpatient measures
 * (`partial`), when every line it lies in stays closed (each measure at zero or two or more withheld non-zero cells).
 * Pure; returns the new state. The attacker checks the result as it checks the greedy's.
 */
export function releaseRedundant(input: SuppressionInput, before: ArrayLike<number>, partial = false): Uint8Array {
  const cells = input.protectedN.length;
  const out = Uint8Array.from(input.hidden);
  const { lineStart, lines, cellCount, cellLines } = lineIndex(input);
  // Per line and measure: its withheld non-zero cells, plus two for each cell that never publishes the measure; kept
  // up to date as cells are published again, so a candidate looks only at its own change in each of its lines.
  const counts = new Int32Array(lines * 6);
  for (let k = 0; k < lines; k++) {
    for (let e = lineStart[k] as number; e < (lineStart[k + 1] as number); e++) {
      const m = input.lineCells[e] as number;
      const nz = (input.nonZero[m] as number) & (out[m] as number);
      const never = input.unpublished ? (input.unpublished[m] as number) : 0;
      for (let b = 0; b < 6; b++) counts[k * 6 + b] = (counts[k * 6 + b] as number) + ((nz >> b) & 1) + 2 * ((never >> b) & 1);
    }
  }
  /** Every line of c stays closed (no measure counted exactly once) when c withholds only `bits`; `apply`: make it so. */
  const closedWith = (c: number, bits: number, apply = false): boolean => {
    const nz = input.nonZero[c] as number;
    const was = nz & (out[c] as number);
    const now = nz & bits;
    for (let j = cellCount[c] as number; j < (cellCount[c + 1] as number); j++) {
      const k = cellLines[j] as number;
      for (let b = 0; b < 6; b++) {
        const delta = ((now >> b) & 1) - ((was >> b) & 1);
        if (apply) counts[k * 6 + b] = (counts[k * 6 + b] as number) + delta;
        // (a cell twice in one line: its lines are listed once per entry, so each entry adds its own delta)
        else if ((counts[k * 6 + b] as number) + delta * occurrences(c, k) === 1) return false;
      }
    }
    if (apply) out[c] = bits;
    return true;
  };
  const occurrences = (c: number, k: number): number => {
    let r = 0;
    for (let j = cellCount[c] as number; j < (cellCount[c + 1] as number); j++) if (cellLines[j] === k) r++;
    return r;
  };
  const candidates: number[] = [];
  for (let c = 0; c < cells; c++) if (out[c] !== (before[c] as number)) candidates.push(c);
  candidates.sort((a, b) => (input.protectedN[b] as number) - (input.protectedN[a] as number) || a - b);
  for (const c of candidates) {
    const was = before[c] as number;
    if (closedWith(c, was)) closedWith(c, was, true);
    else if (partial && out[c] === WHOLE_CELL && (was & INPATIENT_MEASURES) === was && closedWith(c, INPATIENT_MEASURES)) {
      closedWith(c, INPATIENT_MEASURES, true);
    }
  }
  return out;
}
