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
const set = (cells: number[]) => (c: number) => cells.includes(c);

describe('the attacker', () => {
  // total 0 = 1 + 2 + 3
  const line = eqs([[1, 1, 0, 1], [1, 1, 1, -1], [1, 1, 2, -1], [1, 1, 3, -1]]);

  it('recovers a lone withheld member as total − visible members', () => {
    expect(findLeaks(line, set([2]), set([2]))).toEqual([{ cell: 2, support: [0, 1, 2, 3] }]);
  });

  it('finds nothing when two cells of the line are withheld', () => {
    expect(findLeaks(line, set([2, 3]), set([2, 3]))).toEqual([]);
  });

  // Overlapping areas over latent municipalities 10..13 (never published): pilot 0 = 10+11+12+13, A 1 = 10+11,
  // B 2 = 12+13. B withheld, pilot and A published: B = pilot − A.
  const areas = eqs([
    [7, 1, 0, 1], [7, 1, 10, -1], [7, 1, 11, -1], [7, 1, 12, -1], [7, 1, 13, -1],
    [7, 2, 1, 1], [7, 2, 10, -1], [7, 2, 11, -1],
    [7, 3, 2, 1], [7, 3, 12, -1], [7, 3, 13, -1],
  ]);
  const latent = [10, 11, 12, 13];

  it('recovers an area as the difference of two published overlapping areas (through latent members)', () => {
    const leaks = findLeaks(areas, set([2, ...latent]), set([2]));
    expect(leaks.map((l) => l.cell)).toEqual([2]);
    expect(leaks[0]!.support.filter((c) => c < 10).sort()).toEqual([0, 1, 2]);
  });

  it('finds nothing when a second area of the difference is withheld too', () => {
    expect(findLeaks(areas, set([1, 2, ...latent]), set([1, 2]))).toEqual([]);
  });

  it('does not combine equations of different groups', () => {
    const split = eqs([[1, 1, 0, 1], [1, 1, 1, -1], [1, 1, 2, -1], [2, 2, 3, 1], [2, 2, 1, -1], [2, 2, 2, -1]]);
    expect(findLeaks(split, set([1, 2]), set([1, 2]))).toEqual([]);
  });
});
