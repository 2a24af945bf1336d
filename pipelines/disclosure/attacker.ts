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
 * Measures: a cell hides up to 32 measures at once (bit b of `hidden[c]`: the attacker does not know measure b of
 * cell c); each measure is attacked on its own. Pure and in memory: a group of one equation is a count, larger groups
 * (a slice's areas) are small, so a cube of a few hundred thousand cells takes well under a second.
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
  /** The measure bit it leaks. */
  bit: number;
  /** The combination that recovers it: the cells with a non-zero coefficient (the leak's own cell included). */
  support: number[];
}

const EPS = 1e-9;
const ALL_BITS = 0xffffffff;

/**
 * Every withheld cell that the equations determine. `hidden(c)`: the measure bits of cell c the attacker does not
 * know (0 = published); `latent(c)`: c is never published (unknown in every measure, but not itself reported);
 * `unpublished(c)`: the measure bits c never publishes (unknown, not reported: a yearly total's patients).
 */
export function findLeaks(
  eq: Equations,
  hidden: (c: number) => number,
  latent: (c: number) => boolean = () => false,
  unpublished: (c: number) => number = () => 0,
): Leak[] {
  const unknownBits = (c: number) => (latent(c) ? ALL_BITS : hidden(c) | unpublished(c));
  const leaks: Leak[] = [];
  const only = new Int32Array(32);
  const n = eq.group.length;
  let e = 0;
  while (e < n) {
    const g = eq.group[e] as number;
    const from = e;
    let single = true;
    for (; e < n && eq.group[e] === g; e++) if (eq.equation[e] !== eq.equation[from]) single = false;
    if (single) {
      // One equation: measure b leaks when exactly one of its cells hides b.
      let seen = 0;
      let twice = 0;
      for (let k = from; k < e; k++) {
        if (Math.abs(eq.coef[k] as number) <= EPS) continue;
        const c = eq.cell[k] as number;
        const bits = unknownBits(c);
        if (!bits) continue;
        twice |= seen & bits;
        seen |= bits;
        for (let b = 0; b < 32; b++) if (bits & (1 << b)) only[b] = c;
      }
      const once = seen & ~twice;
      if (!once) continue;
      const support = [];
      for (let k = from; k < e; k++) support.push(eq.cell[k] as number);
      for (let b = 0; b < 32; b++) {
        if (!(once & (1 << b))) continue;
        const c = only[b]!;
        if (!latent(c) && hidden(c) & (1 << b)) leaks.push({ cell: c, bit: b, support });
      }
      continue;
    }
    const rows = new Map<number, Map<number, number>>();
    let bitsInGroup = 0;
    for (let k = from; k < e; k++) {
      const id = eq.equation[k] as number;
      let row = rows.get(id);
      if (!row) rows.set(id, (row = new Map()));
      const c = eq.cell[k] as number;
      row.set(c, (row.get(c) ?? 0) + (eq.coef[k] as number));
      if (!latent(c)) bitsInGroup |= hidden(c);
    }
    for (let b = 0; b < 32; b++) {
      if (!(bitsInGroup & (1 << b))) continue;
      const unknown = (c: number) => latent(c) || ((hidden(c) | unpublished(c)) & (1 << b)) !== 0;
      for (const l of eliminate([...rows.values()], unknown)) if (!latent(l.cell) && hidden(l.cell) & (1 << b)) leaks.push({ ...l, bit: b });
    }
  }
  return leaks;
}

/**
 * The exact attack for a caller that attacks again and again while it withholds more (the disclosure step): a
 * group's leaks depend only on what is unknown of its own cells, so each call tries only the groups with a cell
 * whose hidden measures changed since the previous call, and the groups that leaked then. Same results as
 * findLeaks over all groups.
 */
export function exactAttacker(
  eq: Equations,
  latent: (c: number) => boolean,
  unpublished?: (c: number) => number,
): (hidden: (c: number) => number) => Leak[] {
  const entries = eq.group.length;
  const group = Float64Array.from(eq.group as ArrayLike<number>);
  const equation = Float64Array.from(eq.equation as ArrayLike<number>);
  const cell = Int32Array.from(eq.cell as ArrayLike<number>);
  const coef = Float64Array.from(eq.coef as ArrayLike<number>);
  const starts: number[] = [];
  for (let e = 0; e < entries; e++) if (e === 0 || group[e] !== group[e - 1]) starts.push(e);
  const groups = starts.length;
  starts.push(entries);
  let cells = 0;
  for (let e = 0; e < entries; e++) cells = Math.max(cells, (cell[e] as number) + 1);
  // Each cell's groups (CSR).
  const at = new Uint32Array(cells + 1);
  for (let g = 0; g < groups; g++) for (let e = starts[g] as number; e < (starts[g + 1] as number); e++) at[(cell[e] as number) + 1]++;
  for (let c = 0; c < cells; c++) at[c + 1] += at[c] as number;
  const fill = at.slice(0, cells);
  const groupsOf = new Uint32Array(entries);
  for (let g = 0; g < groups; g++) for (let e = starts[g] as number; e < (starts[g + 1] as number); e++) groupsOf[fill[cell[e] as number]++] = g;
  const last = new Float64Array(cells).fill(NaN);
  let leaky = new Set<number>();
  return (hidden) => {
    const dirty = new Set(leaky);
    for (let c = 0; c < cells; c++) {
      const h = latent(c) ? -1 : hidden(c);
      if (h === last[c]) continue;
      last[c] = h;
      for (let j = at[c] as number; j < (at[c + 1] as number); j++) dirty.add(groupsOf[j] as number);
    }
    const leaks: Leak[] = [];
    leaky = new Set();
    for (const g of [...dirty].sort((a, b) => a - b)) {
      const from = starts[g] as number;
      const to = starts[g + 1] as number;
      const found = findLeaks(
        { group: group.subarray(from, to), equation: equation.subarray(from, to), cell: cell.subarray(from, to), coef: coef.subarray(from, to) },
        hidden,
        latent,
        unpublished,
      );
      if (found.length) leaky.add(g), leaks.push(...found);
    }
    return leaks;
  };
}

/** Gauss-Jordan over the unknown columns; each row keeps its whole equation (known cells too) for the support. */
function eliminate(rows: Map<number, number>[], unknown: (c: number) => boolean): Omit<Leak, 'bit'>[] {
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
  const leaks: Omit<Leak, 'bit'>[] = [];
  for (const { row, col } of pivots) {
    let others = 0;
    for (const c of row.keys()) if (c !== col && unknown(c)) others++;
    if (others === 0) leaks.push({ cell: col, support: [...row.keys()] });
  }
  return leaks;
}

/** A withheld cell the published values bound too tightly (non-negativity and the relations together). */
export interface IntervalLeak {
  cell: number;
  lower: number;
  upper: number;
}

/**
 * The interval attack (docs/disclosure.md): every value is non-negative, and every equation Σ coef · cell = 0 holds;
 * the published values are known. Bounds of the unknown cells (withheld and latent) are tightened equation by
 * equation (interval arithmetic: coef_j · x_j = −Σ_{k≠j} coef_k · x_k), over all equations of all groups together,
 * until they settle, which chains relations across dimensions (an area difference bounded by a specialty total, and
 * so on). Sound: every bound found holds for the real values. Returns the withheld cells whose interval is `tooNarrow`
 * (a count within ±0.5, euros within ±1 %). `value(c)`: the published value, NaN when the attacker does not know it.
 */
export function findIntervalLeaks(
  eq: Equations,
  value: (c: number) => number,
  withheld: (c: number) => boolean,
  tooNarrow: (lower: number, upper: number) => boolean,
  rounding = 0,
): IntervalLeak[] {
  const { lower, upper } = intervalBounds(eq, value, 200, rounding);
  const leaks: IntervalLeak[] = [];
  for (const [c, l] of lower) {
    const u = upper.get(c)!;
    if (withheld(c) && Number.isFinite(u) && tooNarrow(l, u)) leaks.push({ cell: c, lower: l, upper: u });
  }
  return leaks.sort((a, b) => a.cell - b.cell);
}

/**
 * The bounds of every unknown cell (findIntervalLeaks): non-negativity and the equations, tightened until settled.
 * A work list: an equation is looked at again only when a bound of one of its cells moved (at most `maxVisits` times
 * the equations in all, which stops a bound creeping towards its limit in ever smaller steps). `rounding`: the
 * published values are rounded, each within ±rounding of the value the relations hold for (a projection rounded to
 * whole units: 0.5), so each equation holds only within Σ |coef| · rounding over its known cells.
 */
export function intervalBounds(
  eq: Equations,
  value: (c: number) => number,
  maxVisits = 200,
  rounding = 0,
): { lower: Map<number, number>; upper: Map<number, number> } {
  // Equations in CSR form, known cells folded into a constant: Σ coef · unknown = rhs.
  const starts: number[] = [];
  const cells: number[] = [];
  const coefs: number[] = [];
  const rhs: number[] = [];
  const slack: number[] = [];
  const n = eq.group.length;
  let maxCell = -1;
  for (let e = 0; e < n; ) {
    const id = eq.equation[e];
    const g = eq.group[e];
    const from = cells.length;
    let b = 0;
    let s = 0;
    for (; e < n && eq.equation[e] === id && eq.group[e] === g; e++) {
      const c = eq.cell[e] as number;
      const k = eq.coef[e] as number;
      const v = value(c);
      if (Number.isNaN(v)) cells.push(c), coefs.push(k), (maxCell = Math.max(maxCell, c));
      else (b -= k * v), (s += Math.abs(k) * rounding);
    }
    if (cells.length > from) starts.push(from), rhs.push(b), slack.push(s);
  }
  starts.push(cells.length);
  // Bounds by cell (typed arrays: the step's cube has a few hundred thousand cells).
  const lower = new Float64Array(maxCell + 1);
  const upper = new Float64Array(maxCell + 1).fill(Infinity);
  propagate(Uint32Array.from(starts), Int32Array.from(cells), Float64Array.from(coefs), Float64Array.from(rhs), lower, upper, maxVisits, Float64Array.from(slack));
  const lowerOf = new Map<number, number>();
  const upperOf = new Map<number, number>();
  for (const c of cells) lowerOf.set(c, lower[c] as number), upperOf.set(c, upper[c] as number);
  return { lower: lowerOf, upper: upperOf };
}

/**
 * intervalBounds' work list over equations in CSR form (`starts`, their unknown `cells` and `coefs`, Σ coef · cell =
 * rhs within ±slack): tightens `lower` and `upper` (indexed by cell; [0, ∞) for a cell not bounded yet) until they
 * settle, an equation looked at again only when a bound of one of its cells moved, at most `maxVisits` times the
 * equations in all.
 */
function propagate(
  starts: Uint32Array,
  cells: Int32Array,
  coefs: Float64Array,
  rhs: Float64Array,
  lower: Float64Array,
  upper: Float64Array,
  maxVisits: number,
  slack = new Float64Array(rhs.length),
): void {
  const tol = 1e-9;
  const equations = rhs.length;
  // The equations of each cell (CSR).
  const maxCell = lower.length - 1;
  const at = new Uint32Array(maxCell + 2);
  for (const c of cells) at[c + 1]++;
  for (let c = 0; c <= maxCell; c++) at[c + 1] += at[c] as number;
  const equationsOf = new Uint32Array(cells.length);
  const fill = at.slice(0, maxCell + 1);
  for (let q = 0; q < equations; q++) {
    for (let i = starts[q] as number; i < (starts[q + 1] as number); i++) equationsOf[fill[cells[i] as number]++] = q;
  }
  let queue = new Uint32Array(Math.max(1, equations * 2));
  for (let q = 0; q < equations; q++) queue[q] = q;
  let head = 0;
  let tail = equations;
  const queued = new Uint8Array(equations).fill(1);
  let budget = maxVisits * equations;
  const push = (q: number) => {
    if (queued[q]) return;
    queued[q] = 1;
    if (tail === queue.length) {
      // Move the live part to the front (or grow).
      const live = queue.subarray(head, tail);
      const next = live.length * 2 > queue.length ? new Uint32Array(queue.length * 2) : queue;
      next.set(live);
      queue = next;
      tail -= head;
      head = 0;
    }
    queue[tail++] = q;
  };
  while (head < tail && budget-- > 0) {
    const q = queue[head++] as number;
    queued[q] = 0;
    const from = starts[q] as number;
    const to = starts[q + 1] as number;
    // Σ over the equation of the interval of coef · x, with how many unbounded ends.
    let lo = 0;
    let hi = 0;
    let loInf = 0;
    let hiInf = 0;
    for (let i = from; i < to; i++) {
      const k = coefs[i] as number;
      const l = lower[cells[i] as number] as number;
      const u = upper[cells[i] as number] as number;
      const a = k > 0 ? k * l : k * u;
      const z = k > 0 ? k * u : k * l;
      if (Number.isFinite(a)) lo += a;
      else loInf++;
      if (Number.isFinite(z)) hi += z;
      else hiInf++;
    }
    for (let i = from; i < to; i++) {
      const c = cells[i] as number;
      const k = coefs[i] as number;
      const l = lower[c] as number;
      const u = upper[c] as number;
      const a = k > 0 ? k * l : k * u;
      const z = k > 0 ? k * u : k * l;
      // The others' interval: [lo − a, hi − z] (excluding this term); k · x = rhs − others.
      const othersLo = Number.isFinite(a) ? (loInf ? -Infinity : lo - a) : loInf > 1 ? -Infinity : lo;
      const othersHi = Number.isFinite(z) ? (hiInf ? Infinity : hi - z) : hiInf > 1 ? Infinity : hi;
      // k · x lies in [rhs − slack − othersHi, rhs + slack − othersLo].
      const r = rhs[q] as number;
      const sl = slack[q] as number;
      let newL = k > 0 ? (r - sl - othersHi) / k : (r + sl - othersLo) / k;
      let newU = k > 0 ? (r + sl - othersLo) / k : (r - sl - othersHi) / k;
      if (Number.isNaN(newL)) newL = -Infinity;
      if (Number.isNaN(newU)) newU = Infinity;
      let moved = false;
      // (An infinite bound minus a tolerance is NaN: any finite bound tightens it.)
      if (newL > l && (!Number.isFinite(l) || newL > l + tol * Math.max(1, Math.abs(l)))) (lower[c] = newL), (moved = true);
      if (newU < u && (!Number.isFinite(u) || newU < u - tol * Math.max(1, Math.abs(u)))) (upper[c] = newU), (moved = true);
      if (!moved) continue;
      for (let j = at[c] as number; j < (at[c + 1] as number); j++) push(equationsOf[j] as number);
    }
  }
}

/**
 * The euro (or count) interval attack for a caller that attacks again and again while it withholds more (the
 * disclosure step), like exactAttacker: the equations are indexed once, and each call propagates only over the
 * equations of the connected parts of the unknown cells (cells linked by the equations they share) that hold a cell
 * whose value changed since the previous call (became unknown, known, or another value). A part none of whose
 * equations holds a changed cell is the same part as before with the same known values, so its bounds are the
 * previous call's. The propagation is intervalBounds' (same work list order within a part, same arithmetic), so the
 * leaks are findIntervalLeaks' over all equations; only the guard against creeping bounds (`maxVisits` times the
 * equations) counts the equations propagated in this call rather than all of them. `value(c)`: the published value,
 * NaN when the attacker does not know it; `withheld(c)`: report c when its interval is `tooNarrow`.
 */
export function intervalAttacker(
  eq: Equations,
  tooNarrow: (lower: number, upper: number) => boolean,
  maxVisits = 200,
): (value: (c: number) => number, withheld: (c: number) => boolean) => IntervalLeak[] {
  // Equations in CSR form over every cell (known or not): consecutive entries of one (group, equation).
  const n = eq.group.length;
  const startsList: number[] = [];
  for (let e = 0; e < n; e++) if (e === 0 || eq.equation[e] !== eq.equation[e - 1] || eq.group[e] !== eq.group[e - 1]) startsList.push(e);
  const equations = startsList.length;
  startsList.push(n);
  const starts = Uint32Array.from(startsList);
  const cell = Int32Array.from(eq.cell as ArrayLike<number>);
  const coef = Float64Array.from(eq.coef as ArrayLike<number>);
  const cells = maxOfCells(cell) + 1;
  const at = new Uint32Array(cells + 1);
  for (let e = 0; e < n; e++) at[(cell[e] as number) + 1]++;
  for (let c = 0; c < cells; c++) at[c + 1] += at[c] as number;
  const equationsOf = new Uint32Array(n);
  const fill = at.slice(0, cells);
  for (let q = 0; q < equations; q++) for (let e = starts[q] as number; e < (starts[q + 1] as number); e++) equationsOf[fill[cell[e] as number]++] = q;
  // State kept between calls: each cell's value (NaN = unknown) and bounds.
  const last = new Float64Array(cells).fill(-1);
  const lower = new Float64Array(cells);
  const upper = new Float64Array(cells).fill(Infinity);
  const dirty = new Uint8Array(equations);
  // The equations of one call, compacted to their unknown cells.
  const qStarts = new Uint32Array(equations + 1);
  const qCells = new Int32Array(n);
  const qCoefs = new Float64Array(n);
  const rhs = new Float64Array(equations);
  let first = true;
  return (value, withheld) => {
    const now = new Float64Array(cells);
    for (let c = 0; c < cells; c++) now[c] = value(c);
    const unknown = (c: number) => Number.isNaN(now[c] as number);
    // The equations with a changed cell, then every equation joined to them through unknown cells (breadth first).
    const list: number[] = [];
    const mark = (q: number) => {
      if (dirty[q]) return;
      dirty[q] = 1;
      list.push(q);
    };
    for (let c = 0; c < cells; c++) {
      const v = now[c] as number;
      const was = last[c] as number;
      if (!first && (v === was || (Number.isNaN(v) && Number.isNaN(was)))) continue;
      for (let j = at[c] as number; j < (at[c + 1] as number); j++) mark(equationsOf[j] as number);
    }
    first = false;
    last.set(now);
    const reached = new Uint8Array(cells);
    for (let i = 0; i < list.length; i++) {
      const q = list[i] as number;
      for (let e = starts[q] as number; e < (starts[q + 1] as number); e++) {
        const c = cell[e] as number;
        if (reached[c] || !unknown(c)) continue;
        reached[c] = 1;
        for (let j = at[c] as number; j < (at[c + 1] as number); j++) mark(equationsOf[j] as number);
      }
    }
    // Those equations with an unknown cell, in their order, compacted to their unknown cells (known ones folded into
    // the right-hand side); their unknown cells start again from [0, ∞).
    // (a typed array's numeric sort: the same order as sort((a, b) => a - b), without a call per comparison)
    let size = 0;
    let entries = 0;
    for (const q of Uint32Array.from(list).sort()) {
      dirty[q] = 0;
      const from = entries;
      let b = 0;
      for (let e = starts[q] as number; e < (starts[q + 1] as number); e++) {
        const c = cell[e] as number;
        const v = now[c] as number;
        if (v === v) b -= (coef[e] as number) * v;
        else (qCells[entries] = c), (qCoefs[entries++] = coef[e] as number), (lower[c] = 0), (upper[c] = Infinity);
      }
      if (entries > from) (qStarts[size] = from), (rhs[size++] = b);
    }
    qStarts[size] = entries;
    propagate(qStarts.subarray(0, size + 1), qCells.subarray(0, entries), qCoefs.subarray(0, entries), rhs.subarray(0, size), lower, upper, maxVisits);
    const leaks: IntervalLeak[] = [];
    for (let c = 0; c < cells; c++) {
      if (!unknown(c) || at[c] === at[c + 1] || !withheld(c)) continue;
      const l = lower[c] as number;
      const u = upper[c] as number;
      if (Number.isFinite(u) && tooNarrow(l, u)) leaks.push({ cell: c, lower: l, upper: u });
    }
    return leaks;
  };
}

function maxOfCells(a: Int32Array): number {
  let m = -1;
  for (const c of a) if (c > m) m = c;
  return m;
}

/**
 * A count is recoverable when the attacker can bound it within ±0.5: one whole number fits its interval, and it is not
 * 0 (a withheld cell shown to be empty reveals no person).
 */
export const countTooNarrow = (lower: number, upper: number): boolean => {
  if (crossed(lower, upper)) return false;
  const lo = Math.ceil(lower - 1e-6);
  const hi = Math.floor(upper + 1e-6);
  return lo === hi && hi >= 1;
};
/** Euros are recoverable within ±1 %: an interval whose half-width is at most 1 % of its lower end. */
export const eurosTooNarrow = (lower: number, upper: number): boolean =>
  !crossed(lower, upper) && lower > 0 && upper - lower <= 0.02 * lower;
/**
 * Bounds that cross (lower above upper beyond rounding) come from relations that do not hold exactly for the
 * published values (an inconsistent system: the propagation then runs away); they bound nothing, and are no leak.
 */
const crossed = (lower: number, upper: number): boolean => lower > upper + 1e-6 * Math.max(1, Math.abs(upper));
