/** The attacker (pipelines/disclosure/attacker.ts) on hand-made relations. */
import { describe, expect, it } from 'vitest';
import { findLeaks, type Equations } from '../../pipelines/disclosure/attacker.js';

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
