/** The attacker (pipelines/disclosure/attacker.ts) on hand-made relations. */
import { describe, expect, it } from 'vitest';
import { countTooNarrow, eurosTooNarrow, exactAttacker, findIntervalLeaks, findLeaks, intervalAttacker, type Equations } from '../../pipelines/disclosure/attacker.js';
import { seededRandom } from '../../pipelines/seeded-random.js';
import { independentParts } from '../../pipelines/service-use/withhold-complementary.js';

/** Equations from [group, equation, cell, coef] entries. */
const eqs = (entries: [number, number, number, number][]): Equations => ({
  group: entries.map((e) => e[0]),
  equation: entries.map((e) => e[1]),
  cell: entries.map((e) => e[2]),
  coef: entries.map((e) => e[3]),
});
/** Cells withheld in one measure (bit 0). */
const set = (cells: number[]) => (c: number) => (cells.includes(c) ? 1 : 0);
const latent = (c: number) => c >= 10;

describe('the attacker', () => {
  // total 0 = 1 + 2 + 3
  const line = eqs([[1, 1, 0, 1], [1, 1, 1, -1], [1, 1, 2, -1], [1, 1, 3, -1]]);

  it('recovers a lone withheld member as total − visible members', () => {
    expect(findLeaks(line, set([2]))).toEqual([{ cell: 2, bit: 0, support: [0, 1, 2, 3] }]);
  });

  it('attacks each measure on its own: a second withheld cell protects only the measures it has', () => {
    const bits = (c: number) => (c === 2 ? 0b11 : c === 3 ? 0b01 : 0);
    expect(findLeaks(line, bits).map((l) => [l.cell, l.bit])).toEqual([[2, 1]]);
  });

  it('finds nothing when two cells of the line are withheld', () => {
    expect(findLeaks(line, set([2, 3]))).toEqual([]);
  });

  // Overlapping areas over latent municipalities 10..13 (never published): pilot 0 = 10+11+12+13, A 1 = 10+11,
  // B 2 = 12+13. B withheld, pilot and A published: B = pilot − A.
  const areas = eqs([
    [7, 1, 0, 1], [7, 1, 10, -1], [7, 1, 11, -1], [7, 1, 12, -1], [7, 1, 13, -1],
    [7, 2, 1, 1], [7, 2, 10, -1], [7, 2, 11, -1],
    [7, 3, 2, 1], [7, 3, 12, -1], [7, 3, 13, -1],
  ]);

  it('recovers an area as the difference of two published overlapping areas (through latent members)', () => {
    const leaks = findLeaks(areas, set([2]), latent);
    expect(leaks.map((l) => l.cell)).toEqual([2]);
    expect(leaks[0]!.support.filter((c) => c < 10).sort()).toEqual([0, 1, 2]);
  });

  it('finds nothing when a second area of the difference is withheld too', () => {
    expect(findLeaks(areas, set([1, 2]), latent)).toEqual([]);
  });

  it('does not combine equations of different groups', () => {
    const split = eqs([[1, 1, 0, 1], [1, 1, 1, -1], [1, 1, 2, -1], [2, 2, 3, 1], [2, 2, 1, -1], [2, 2, 2, -1]]);
    expect(findLeaks(split, set([1, 2]))).toEqual([]);
  });
});

describe('the exact attack again after a change (exactAttacker)', () => {
  it('finds what findLeaks finds over all groups, state after state, trying only the changed and leaky groups', () => {
    // 40 groups: single lines (a total and 3–5 members) and area groups (two overlapping areas over latent cells).
    const random = seededRandom(12);
    const entries: [number, number, number, number][] = [];
    let cell = 0;
    for (let g = 0; g < 40; g++) {
      if (g % 4 === 3) {
        const [a, b, x, y, z] = [cell++, cell++, 1000 + g * 3, 1001 + g * 3, 1002 + g * 3];
        entries.push([g, 2 * g, a, 1], [g, 2 * g, x, -1], [g, 2 * g, y, -1], [g, 2 * g + 1, b, 1], [g, 2 * g + 1, y, -1], [g, 2 * g + 1, z, -1]);
      } else {
        const total = cell++;
        entries.push([g, 2 * g, total, 1]);
        for (let m = 0; m < 3 + (g % 3); m++) entries.push([g, 2 * g, cell++, -1]);
      }
    }
    const eq = eqs(entries);
    const isLatent = (c: number) => c >= 1000;
    const attack = exactAttacker(eq, isLatent);
    const hidden = new Uint8Array(cell);
    let leaking = 0;
    for (let round = 0; round < 12; round++) {
      // Withhold some more cells (one or two measures), publish a few again.
      for (let k = 0; k < 6; k++) hidden[Math.floor(random() * cell)] = random() < 0.5 ? 1 : 3;
      for (let k = 0; k < 2; k++) hidden[Math.floor(random() * cell)] = 0;
      const h = (c: number) => (c < cell ? (hidden[c] as number) : 0);
      const expected = findLeaks(eq, h, isLatent);
      expect(attack(h)).toEqual(expected);
      leaking += expected.length;
    }
    expect(leaking).toBeGreaterThan(0);
  });
});

describe('the interval attack (non-negativity with every relation at once)', () => {
  // Line 1: total 0 = 1 + 2; line 2: total 3 = 1 + 4; line 3: total 5 = 2 + 6 (different groups: the exact attack
  // does not combine them). Cells 1, 2, 4, 6 withheld.
  const lines = eqs([
    [1, 1, 0, 1], [1, 1, 1, -1], [1, 1, 2, -1],
    [2, 2, 3, 1], [2, 2, 1, -1], [2, 2, 4, -1],
    [3, 3, 5, 1], [3, 3, 2, -1], [3, 3, 6, -1],
  ]);
  const withheld = [1, 2, 4, 6];
  const published = (values: number[]) => (c: number) => (withheld.includes(c) ? NaN : (values[c] ?? NaN));

  it('pins a count that no exact combination recovers: 1 ≤ total 3, 2 ≤ total 5, 1 + 2 = total 0 = 3 + 5', () => {
    // 1 = 3, 2 = 5, 4 = 0, 6 = 0: cells 4 and 6 are withheld zeros, so lines 2 and 3 bound 1 and 2 from above.
    const values = [8, 3, 5, 3, 0, 5, 0];
    expect(findLeaks(lines, (c) => (withheld.includes(c) ? 1 : 0))).toEqual([]);
    const leaks = findIntervalLeaks(lines, published(values), (c) => withheld.includes(c), countTooNarrow);
    expect(leaks.map((l) => [l.cell, l.lower, l.upper])).toEqual([[1, 3, 3], [2, 5, 5]]);
  });

  it('finds nothing when the other withheld cells are large enough', () => {
    const values = [8, 3, 5, 7, 4, 9, 4];
    expect(findIntervalLeaks(lines, published(values), (c) => withheld.includes(c), countTooNarrow)).toEqual([]);
  });

  it('euros: an amount bounded within ±1 % is recoverable', () => {
    // 1 = 995 €, 2 = 5 €; line 3 bounds 2 to at most 5 € + 4 € (cell 6 = 4 €): 1 in [991, 1000], and so 4 = 1995 − 1.
    const values = [1000, 995, 5, 1995, 1000, 9, 4];
    const leaks = findIntervalLeaks(lines, published(values), (c) => withheld.includes(c), eurosTooNarrow);
    expect(leaks.map((l) => [l.cell, l.lower, l.upper])).toEqual([[1, 991, 1000], [4, 995, 1004]]);
    // With 2 = 50 € (and 6 = 4 €) the interval of 1 is [946, 1000]: more than ±1 %.
    const wider = [1000, 950, 50, 1995, 1045, 54, 4];
    expect(findIntervalLeaks(lines, published(wider), (c) => withheld.includes(c), eurosTooNarrow)).toEqual([]);
  });

  it('a count interval narrower than one whole number is a leak unless it is 0', () => {
    expect(countTooNarrow(3, 3)).toBe(true);
    expect(countTooNarrow(2.6, 3.4)).toBe(true);
    expect(countTooNarrow(3, 4)).toBe(false);
    expect(countTooNarrow(0, 0.5)).toBe(false);
  });

  it('rounded values: each equation holds within the rounding of its published cells', () => {
    // total 0 = 1 + 2, published rounded: 0 = 1000 €, 2 = 5 €; exact sums pin 1 to 995 €, rounded ones to 994..996.
    const line = eqs([[1, 1, 0, 1], [1, 1, 1, -1], [1, 1, 2, -1]]);
    const value = (c: number) => (c === 1 ? NaN : c === 0 ? 1000 : 5);
    const exact = findIntervalLeaks(line, value, (c) => c === 1, eurosTooNarrow);
    expect(exact.map((l) => [l.lower, l.upper])).toEqual([[995, 995]]);
    const rounded = findIntervalLeaks(line, value, (c) => c === 1, eurosTooNarrow, 0.5);
    expect(rounded.map((l) => [l.lower, l.upper])).toEqual([[994, 996]]);
    // A count: 3 ± 1 holds three whole numbers, no leak.
    expect(findIntervalLeaks(line, (c) => (c === 1 ? NaN : c === 0 ? 8 : 5), (c) => c === 1, countTooNarrow, 0.5)).toEqual([]);
  });

  it('crossed bounds (relations that do not hold for the published values) are no leak', () => {
    expect(eurosTooNarrow(1000, 999)).toBe(false);
    expect(countTooNarrow(4e307, -4e307)).toBe(false);
    expect(eurosTooNarrow(995, 995)).toBe(true);
  });
});

// disc branch (issue 20): the euro interval attack again after a change.
describe('the interval attack again after a change (intervalAttacker)', () => {
  it('finds what findIntervalLeaks finds over all equations, state after state, withholding more and publishing again', () => {
    // Four slices of a 3 × 4 table with its margins (rows, columns, the grand total), and a fifth slice, their sum,
    // cell by cell: relations across slices, as the district's line joins the municipalities.
    const random = seededRandom(7);
    const [rows, cols, slices] = [3, 4, 4];
    const id = (s: number, r: number, c: number) => s * (rows + 1) * (cols + 1) + r * (cols + 1) + c;
    const cells = (slices + 1) * (rows + 1) * (cols + 1);
    const values = new Float64Array(cells);
    for (let s = 0; s < slices; s++) {
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[id(s, r, c)] = random() < 0.3 ? 0 : Math.round(random() * (random() < 0.5 ? 20 : 2000));
    }
    for (let s = 0; s < slices; s++) {
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) (values[id(s, r, cols)] += values[id(s, r, c)]!), (values[id(s, rows, c)] += values[id(s, r, c)]!);
      for (let r = 0; r < rows; r++) values[id(s, rows, cols)] += values[id(s, r, cols)]!;
    }
    for (let s = 0; s < slices; s++) for (let r = 0; r <= rows; r++) for (let c = 0; c <= cols; c++) values[id(slices, r, c)] += values[id(s, r, c)]!;
    const entries: [number, number, number, number][] = [];
    let q = 0;
    const line = (total: number, members: number[]) => {
      entries.push([q, q, total, 1], ...members.map((m): [number, number, number, number] => [q, q, m, -1]));
      q++;
    };
    const range = (k: number) => Array.from({ length: k }, (_, i) => i);
    for (let s = 0; s <= slices; s++) {
      for (let r = 0; r <= rows; r++) line(id(s, r, cols), range(cols).map((c) => id(s, r, c)));
      for (let c = 0; c <= cols; c++) line(id(s, rows, c), range(rows).map((r) => id(s, r, c)));
    }
    for (let r = 0; r <= rows; r++) for (let c = 0; c <= cols; c++) line(id(slices, r, c), range(slices).map((s) => id(s, r, c)));
    const eq = eqs(entries);
    const attack = intervalAttacker(eq, eurosTooNarrow);
    const hidden = new Uint8Array(cells);
    let leaking = 0;
    for (let round = 0; round < 25; round++) {
      for (let k = 0; k < 3; k++) hidden[Math.floor(random() * cells)] = 1;
      if (round % 3 === 2) hidden[Math.floor(random() * cells)] = 0;
      const value = (c: number) => (hidden[c] ? NaN : (values[c] as number));
      const withheld = (c: number) => hidden[c] === 1 && (values[c] as number) > 0;
      const expected = findIntervalLeaks(eq, value, withheld, eurosTooNarrow);
      expect(attack(value, withheld)).toEqual(expected);
      leaking += expected.length;
    }
    expect(leaking).toBeGreaterThan(0);
  });
});

// scale branch (issue 20): the disclosure step's independent parts (pipelines/service-use/withhold-complementary.ts)
describe('independentParts', () => {
  it('joins cells that share a line or an attacker group, latent cells included; a cell in neither is in no part', () => {
    // lines: {0,1,2} and {3,4}; groups: {4, latent 8} and {5, latent 8}; {6,7} one group of two equations; cell 9 alone
    const lines = { id: [1, 1, 1, 2, 2], cell: [0, 1, 2, 3, 4] };
    const eq = eqs([[1, 1, 4, 1], [1, 1, 8, -1], [2, 1, 5, 1], [2, 1, 8, -1], [3, 1, 6, 1], [3, 2, 7, 1]]);
    const { part, parts } = independentParts(10, lines, eq);
    expect(parts).toBe(3);
    expect([...part]).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 1, -1]);
  });
});
