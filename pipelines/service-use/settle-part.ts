/**
 * One independent part of the disclosure step (./withhold-complementary.ts) settled in memory: the complementary
 * choice (./suppression.ts) and the attacker (../disclosure/attacker.ts) in turn until the attacker recovers no
 * withheld measure of any cell. Pure (no IO, no DuckDB): it runs in this thread or in a worker (./settle-parts.ts).
 */
import { eurosTooNarrow, exactAttacker, intervalAttacker, type Equations, type IntervalLeak } from '../disclosure/attacker.js';
import { complementarySuppression, lineIndex, type LineIndex, MEASURE_BITS, releaseRedundant, WHOLE_CELL } from './suppression.js';

/** The options of the step that a part's settling reads (WithholdQueries). */
export interface SettleOptions {
  /** Lines with an id below this are settled on their own before all lines are. */
  settleFirst?: number;
  /** Withhold the inpatient measures alone where only they are open. */
  partial?: boolean;
}

/** Milliseconds of the step by phase (WithholdResult.ms). */
export interface StepMs { read: number; choose: number; attack: number; interval: number; write: number }

/** One independent part of the problem (or all of it): its cells 0..n-1 (latent cells from n up in the equations). */
export interface Problem {
  protectedN: ArrayLike<number>;
  nonZero: ArrayLike<number>;
  /** The measures withheld before the step. */
  before: Uint8Array;
  unpublished?: ArrayLike<number>;
  euros?: ArrayLike<number | null>;
  n: number;
  lineIds: number[];
  lineCells: number[];
  lineIsTotal: boolean[];
  equations: Equations;
}


/** A settled part: its cells' withheld measures, in the part's order, and the rounds it took. */
export interface Settled {
  hidden: Uint8Array;
  rounds: number;
  attacks: number;
}


/** The choice and the attacker in turn on one part until the attacker recovers nothing (withholdComplementary). */
export function settlePart(
  p: Problem,
  q: SettleOptions,
  maxAttacks: number,
  ms: StepMs,
): Settled {
  let lap = Date.now();
  const time = (key: keyof typeof ms) => {
    const now = Date.now();
    ms[key] += now - lap;
    lap = now;
  };
  const { n, equations, unpublished, euros, before } = p;
  const lineIds = [...p.lineIds];
  const lineCells = [...p.lineCells];
  const lineIsTotal = [...p.lineIsTotal];
  let nextLine = (lineIds.at(-1) ?? 0) + 1; // ordered by line_id
  let hidden: Uint8Array = Uint8Array.from(before);
  let rounds = 0;
  let attacks = 0;
  // Cells withheld to widen an interval: the clean-up keeps them.
  const floor = Uint8Array.from(before);
  let widenedAny = false;
  // The recovering combinations already made lines (their cells), over every round.
  const seen = new Set<string>();
  // The lines as typed arrays (views of them for each settle, no copies), rebuilt when the attacker adds lines.
  let ids = Float64Array.from(lineIds);
  let members = Int32Array.from(lineCells);
  let totals = Uint8Array.from(lineIsTotal, Number);
  // What each range of lines was last settled for (the cells' state, its end): the next settle of that range looks
  // first only at the lines of the cells changed since, and at the lines added since.
  const settled = new Map<number, { hidden: Uint8Array; to: number }>();
  // The line index of each range: lines are only ever appended, so the entries from..to never change once written
  // and the index of a range is built once (the cube's lines below settleFirst: once for all rounds).
  const indexes = new Map<string, LineIndex>();
  const settle = (from: number, to: number): boolean => {
    const last = settled.get(from);
    let since: { cells: number[]; fromEntry: number } | undefined;
    if (last) {
      const cells: number[] = [];
      for (let c = 0; c < n; c++) if (hidden[c] !== last.hidden[c]) cells.push(c);
      since = { cells, fromEntry: last.to - from };
    }
    const input = {
      protectedN: p.protectedN,
      nonZero: p.nonZero,
      hidden,
      unpublished,
      lineIds: ids.subarray(from, to),
      lineCells: members.subarray(from, to),
      lineIsTotal: totals.subarray(from, to),
    };
    const range = `${from}:${to}`;
    const index = indexes.get(range) ?? indexes.set(range, lineIndex(input)).get(range)!;
    const result = complementarySuppression(input, q.partial ?? false, undefined, since, index);
    rounds += result.rounds;
    const changed = result.hidden.some((h, c) => h !== hidden[c]);
    hidden = result.hidden;
    settled.set(from, { hidden: Uint8Array.from(hidden), to });
    return changed;
  };
  // The exact attack, each time only over the groups the step changed since (or that leaked then); the euro interval
  // attack likewise only over the connected unknown cells around the amounts the step changed since.
  const attack = exactAttacker(equations, (c) => c >= n, unpublished ? (c) => unpublished[c] as number : undefined);
  const intervals = euros && intervalAttacker(equations, eurosTooNarrow);
  // The lines below settleFirst (sorted first), then the others, in turn until neither withholds more.
  let split = 0;
  if (q.settleFirst !== undefined) while (split < lineIds.length && (lineIds[split] as number) < q.settleFirst) split++;
  for (;;) {
    if (split > 0) {
      settle(0, split);
      while (settle(split, lineIds.length) && settle(0, split));
    } else settle(0, lineIds.length);
    // The clean-up only until the euros were first widened: after that it would publish again the cells whose
    // amounts give the widened ones their slack, and the attacker would find the same amounts again.
    if (!widenedAny) hidden = releaseRedundant(
      { protectedN: p.protectedN, nonZero: p.nonZero, hidden, unpublished, lineIds: ids, lineCells: members, lineIsTotal: totals },
      floor,
      q.partial ?? false,
    );
    time('choose');
    attacks++;
    const h = hidden;
    // The interval attack on the euros (±1 %): each cell it bounds too tightly gets one more withheld cell beside it.
    // Once widening has begun, it runs first, and the exact attack only when it widens nothing (the last rounds).
    const widen = () => {
      const picks = intervals && euros ? widenIntervals(intervals, h, n, euros, lineIds, lineCells) : [];
      time('interval');
      return picks;
    };
    let widened = widenedAny ? widen() : [];
    const leaks = widened.length ? [] : attack((c) => (h[c] as number) & (p.nonZero[c] as number));
    time('attack');
    if (!widenedAny && !leaks.length) widened = widen();
    for (const c of widened) (hidden[c] = WHOLE_CELL), (floor[c] = WHOLE_CELL), (widenedAny = true);
    if (!leaks.length && !widened.length) break;
    if (attacks >= maxAttacks) throw new Error(`the disclosure step did not settle in ${maxAttacks} attacker rounds`);
    // Each recovering combination becomes a line (its published cells); the next choice withholds one more of them.
    // A combination that recovers a cell again although it is a line already (its line has two withheld cells, but
    // not two that hide the recovered measure) gets one more withheld cell directly: the published cell of it with
    // the fewest patients.
    const linesBefore = nextLine;
    let added = 0;
    for (const { cell, support } of leaks) {
      const members = support.filter((c) => c < n).sort((a, b) => a - b);
      const key = members.join(',');
      if (seen.has(key)) {
        const extra = fewestPublished(members, cell, hidden, p.nonZero, p.protectedN);
        if (extra !== undefined) (hidden[extra] = WHOLE_CELL), (floor[extra] = WHOLE_CELL), added++;
        continue;
      }
      seen.add(key);
      for (const c of members) lineIds.push(nextLine), lineCells.push(c), lineIsTotal.push(false);
      nextLine++;
    }
    if (!widened.length && !added && nextLine === linesBefore) {
      throw new Error(`the disclosure step made no progress in attacker round ${attacks}: the same ${leaks.length} recovering combinations again`);
    }
    ids = Float64Array.from(lineIds);
    members = Int32Array.from(lineCells);
    // The added lines have no total (all their cells are members): the flags grow by zeros. (Uint8Array.from with a
    // mapping function over the whole list took about 2 of the step's 20 s on a 10-year extract.)
    const grown = new Uint8Array(lineIsTotal.length);
    grown.set(totals);
    totals = grown;
  }
  return { hidden, rounds, attacks };
}

/**
 * The euro interval attack of the publish check (../disclosure/attacker.ts, findIntervalLeaks; incremental:
 * intervalAttacker) on the step's state:
 * for every withheld amount the published ones bound within ±1 %, in each of its lines whose other withheld amounts
 * leave less than 2 % of it as slack, the published cell with the smallest amount that is still at least 2 % of it,
 * to be withheld too (the greedy then closes the lines it opens, and the attacker looks again). Returns those cells.
 */
function widenIntervals(
  intervals: (value: (c: number) => number, withheld: (c: number) => boolean) => IntervalLeak[],
  hidden: Uint8Array,
  n: number,
  euros: ArrayLike<number | null>,
  lineIds: number[],
  lineCells: number[],
): number[] {
  const cost = MEASURE_BITS.cost;
  const leaks = intervals(
    (c) => (c >= n || (hidden[c] as number) & cost || euros[c] === null ? NaN : (euros[c] as number)),
    (c) => c < n && ((hidden[c] as number) & cost) !== 0 && (euros[c] ?? 0) > 0,
  );
  if (!leaks.length) return [];
  const leaking = new Set(leaks.map((l) => l.cell));
  // The lines of each leaking cell, then their published cells.
  const linesOf = new Map<number, number[]>();
  for (let e = 0; e < lineIds.length; e++) {
    const c = lineCells[e] as number;
    if (leaking.has(c)) (linesOf.get(c) ?? linesOf.set(c, []).get(c)!).push(lineIds[e] as number);
  }
  const wanted = new Set([...linesOf.values()].flat());
  const cellsOf = new Map<number, number[]>();
  for (let e = 0; e < lineIds.length; e++) {
    const k = lineIds[e] as number;
    if (wanted.has(k)) (cellsOf.get(k) ?? cellsOf.set(k, []).get(k)!).push(lineCells[e] as number);
  }
  const picks = new Set<number>();
  for (const c of leaking) {
    const need = 0.02 * (euros[c] ?? 0);
    // Every line of the cell whose other withheld amounts leave less slack than 2 % of it gets one more. The slack
    // of withheld amounts is not the attacker's uncertainty (other lines may bound them), so when no line qualifies,
    // the line with the least slack gets one more all the same (else the step would end with the cell bounded).
    let added = false;
    let fallback = -1;
    let fallbackSlack = Infinity;
    for (const k of linesOf.get(c) ?? []) {
      let slack = 0;
      let best = -1;
      let largest = -1;
      for (const m of cellsOf.get(k) ?? []) {
        if (m === c) continue;
        const v = euros[m] ?? 0;
        if ((hidden[m] as number) & cost || picks.has(m)) slack += v;
        else if (v >= need && (best < 0 || v < (euros[best] ?? 0))) best = m;
        else if (v > 0 && (largest < 0 || v > (euros[largest] ?? 0))) largest = m;
      }
      if (slack < need && best >= 0) (added = true), picks.add(best);
      const pick = best >= 0 ? best : largest;
      if (pick >= 0 && slack < fallbackSlack) (fallback = pick), (fallbackSlack = slack);
    }
    if (!added && fallback >= 0) picks.add(fallback);
  }
  return [...picks];
}

/** Of a recovering combination's cells, the one other than `recovered` that still publishes a non-zero measure and
 * has the fewest patients; undefined when there is none. */
function fewestPublished(members: number[], recovered: number, hidden: Uint8Array, nonZero: ArrayLike<number>, patients: ArrayLike<number>): number | undefined {
  let best: number | undefined;
  for (const c of members) {
    const bits = nonZero[c] as number;
    if (c === recovered || !bits || ((hidden[c] as number) & bits) === bits) continue;
    if (best === undefined || (patients[c] as number) < (patients[best] as number)) best = c;
  }
  return best;
}
