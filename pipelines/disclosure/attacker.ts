/**
 * The attacker (docs/disclosure.md): given the published cells, which of them are withheld, and the additive
 * relations between them, finds every withheld cell whose value the published cells determine exactly.
 *
 * Relations are equations Σ coef · cell = 0 (a total is +1, its members −1), in groups. Within a group every linear
 * combination of its equations is tried at once: exact Gauss-Jordan elimination over the cells the attacker does not
 * know (withheld cells, and latent cells that are never published, such as a municipality's value in one specialty
 * when only areas are published by specialty). A withheld cell is recoverable exactly when its unit vector lies in
 * the row space of the group's equations restricted to the unknown cells, that is when the reduced matrix has a row
 * with that cell as pivot and no other unknown. That covers total − visible members, area A − area B for nested or
 * overlapping areas (through their latent municipalities), year − visible months, all specialties − visible
 * specialties, and any chain of these inside one group. Equations of different groups are not combined (each group
 * is one dimension's relations within one slice of the others).
 *
 * Pure and in memory: groups are small (a slice's areas, or one line), so a cube of a few hundred thousand cells
 * takes well under a second.
 */

/** The equations, one entry per (equation, cell), sorted by group then equation. */
export interface Equations {
  group: ArrayLike<number>;
  equation: ArrayLike<number>;
  cell: ArrayLike<number>;
  coef: ArrayLike<number>;
}

export interface Leak {
  /** The withheld cell the published cells determine. */
  cell: number;
  /** The combination that recovers it: the cells with a non-zero coefficient (the leak's own cell included). */
  support: number[];
}

const EPS = 1e-9;

interface Group {
  equations: Map<number, Map<number, number>>;
}

function* groups(eq: Equations): Generator<Group> {
  const n = eq.group.length;
  let e = 0;
  while (e < n) {
    const g = eq.group[e] as number;
    const equations = new Map<number, Map<number, number>>();
    for (; e < n && eq.group[e] === g; e++) {
      const id = eq.equation[e] as number;
      let row = equations.get(id);
      if (!row) equations.set(id, (row = new Map()));
      const c = eq.cell[e] as number;
      row.set(c, (row.get(c) ?? 0) + (eq.coef[e] as number));
    }
    yield { equations };
  }
}

/**
 * Every withheld cell that the equations determine. `unknown(c)`: the attacker does not know cell c (withheld, or
 * latent); `withheld(c)`: c is a published cell that is withheld (latent cells are unknown but not reported).
 */
export function findLeaks(eq: Equations, unknown: (c: number) => boolean, withheld: (c: number) => boolean): Leak[] {
  const leaks: Leak[] = [];
  for (const { equations } of groups(eq)) {
    const rows = [...equations.values()];
    // Fast path: one equation; it leaks when exactly one of its cells is unknown.
    if (rows.length === 1) {
      const row = rows[0]!;
      let only = -1;
      let count = 0;
      for (const [c, k] of row) if (Math.abs(k) > EPS && unknown(c)) (only = c), count++;
      if (count === 1 && withheld(only)) leaks.push({ cell: only, support: [...row.keys()].filter((c) => Math.abs(row.get(c)!) > EPS) });
      continue;
    }
    leaks.push(...eliminate(rows, unknown, withheld));
  }
  return leaks;
}

/** Gauss-Jordan over the unknown columns; each row keeps its whole equation (known cells too) for the support. */
function eliminate(rows: Map<number, number>[], unknown: (c: number) => boolean, withheld: (c: number) => boolean): Leak[] {
  const work = rows.map((r) => new Map([...r].filter(([, k]) => Math.abs(k) > EPS)));
  const columns = [...new Set(work.flatMap((r) => [...r.keys()].filter(unknown)))].sort((a, b) => a - b);
  const pivots: { row: Map<number, number>; col: number }[] = [];
  let remaining = work;
  for (const col of columns) {
    const at = remaining.findIndex((r) => Math.abs(r.get(col) ?? 0) > EPS);
    if (at < 0) continue;
    const pivot = remaining[at]!;
    remaining = remaining.filter((_, i) => i !== at);
    const scale = pivot.get(col)!;
    for (const [c, k] of pivot) pivot.set(c, k / scale);
    for (const other of [...remaining, ...pivots.map((p) => p.row)]) {
      const f = other.get(col) ?? 0;
      if (Math.abs(f) <= EPS) continue;
      for (const [c, k] of pivot) {
        const v = (other.get(c) ?? 0) - f * k;
        if (Math.abs(v) <= EPS) other.delete(c);
        else other.set(c, v);
      }
    }
    pivots.push({ row: pivot, col });
  }
  const leaks: Leak[] = [];
  for (const { row, col } of pivots) {
    if (!withheld(col)) continue;
    let others = 0;
    for (const c of row.keys()) if (c !== col && unknown(c)) others++;
    if (others === 0) leaks.push({ cell: col, support: [...row.keys()] });
  }
  return leaks;
}
