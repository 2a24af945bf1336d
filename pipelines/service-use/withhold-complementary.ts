/**
 * The disclosure step over a set of cells: reads the cells, the lines and the attacker's equations with the given
 * queries (once), then alternates the complementary choice (./suppression.ts) and the attacker
 * (../disclosure/attacker.ts) in memory until the attacker recovers no withheld measure of any cell: every
 * combination the attacker finds becomes one more line, which the next choice closes. Writes the measures it withheld
 * to temp.withheld_cells (cell_id = index + 1, hidden = MEASURE_BITS) and runs `apply`. Used by the service-use
 * marts (the cube with its yearly and area totals, one problem) and the foresight projection.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runSqlFile } from '../warehouse.js';
import type { Equations } from '../disclosure/attacker.js';
import { type Problem, type Settled, type StepMs } from './settle-part.js';
import { settleParts } from './settle-parts.js';
import { WHOLE_CELL } from './suppression.js';

export interface WithholdQueries {
  /**
   * Returns (protected_n double, non_zero integer: MEASURE_BITS, hidden integer: MEASURE_BITS withheld, and
   * optionally unpublished integer: MEASURE_BITS the cell never publishes, and euros double: the cell's amount, which
   * the interval attack bounds), one row per cell index 0..n-1, in order.
   */
  cells: string;
  /** Returns (line_id double, cell index integer, is_total boolean), ordered by line_id, cell index. */
  lines: string;
  /**
   * Returns (group double, equation double, cell index integer, coef double), ordered by group, equation: the
   * attacker's relations. Cell indices from n up are latent cells (never published, always unknown). Default: every
   * line is one equation of its own group.
   */
  equations?: string;
  /**
   * Lines with an id below this are each an attacker group of their own (total +1, members −1): taken from `lines`,
   * not read again, and placed before what `equations` returns (which then returns only the other groups, numbered
   * from this id up).
   */
  lineGroupsBelow?: number;
  /** SQL run after temp.withheld_cells (cell_id bigint = index + 1, hidden integer) holds the cells that withheld more. */
  apply: string;
  /**
   * Lines with an id below this are settled on their own before all lines are (the cube before its yearly and area
   * totals: the totals' lines then find most of their months withheld already, and fewer cells go).
   */
  settleFirst?: number;
  /** Withhold the inpatient measures alone where only they are open (suppression.ts); default whole cells only. */
  partial?: boolean;
  /**
   * The step's name in ops.disclosure_parts: a part whose inputs are exactly those of a part of the step's previous
   * run takes that run's result instead of being settled again (an import of new months settles only their years).
   */
  reuse?: string;
  /** Worker threads settling the parts (./settle-parts.ts; default one per core, 1 = in this thread). */
  workers?: number;
}

export interface WithholdResult {
  rounds: number;
  /** Cells that withheld more than before (whole or in part). */
  withheld: number;
  /** Attacker rounds of the part that needed most (1 = the first choice already left nothing recoverable). */
  attacks: number;
  /** Independent parts settled one by one (independentParts). */
  parts: number;
  /** Of them, parts whose result was taken from the previous run (their inputs unchanged; `reuse`). */
  reused: number;
  /**
   * Milliseconds reading the inputs, choosing, the exact attack, the euro interval attack with its widening, writing;
   * `settle`: the wall time of choosing and attacking every part (in worker threads: less than the sum of the three).
   */
  ms: StepMs & { settle: number };
}

/** The equations of lines: each line one group, its total +1 and its members −1. */
function lineEquations(lines: [number[], number[], boolean[]]): Equations {
  return { group: lines[0], equation: lines[0], cell: lines[1], coef: lines[2].map((t) => (t ? 1 : -1)) };
}

/** The equations the query returned, after the lines below `below` as groups of their own (lineGroupsBelow). */
function withLineGroups(lines: [number[], number[], boolean[]], below: number | undefined, read: number[][]): Equations {
  let k = 0;
  if (below !== undefined) while (k < lines[0].length && (lines[0][k] as number) < below) k++;
  const own = lineEquations([lines[0].slice(0, k), lines[1].slice(0, k), lines[2].slice(0, k)]);
  return {
    group: (own.group as number[]).concat(read[0] ?? []),
    equation: (own.equation as number[]).concat(read[1] ?? []),
    cell: (own.cell as number[]).concat(read[2] ?? []),
    coef: (own.coef as number[]).concat(read[3] ?? []),
  };
}

async function columns<T extends (unknown[] | undefined)[]>(conn: DuckDBConnection, sql: string): Promise<T> {
  return (await conn.runAndReadAll(sql)).getColumnsJS() as T;
}

/**
 * The step's cells in independent parts: two cells are in one part when a line or an attacker group holds both
 * (the service-use cube: one part per year, since every relation stays within its year). Neither the choice nor
 * either attack ever looks across parts (a line, a group or an equation lies in one part; the interval attack chains
 * only through shared cells), so each part is settled on its own: its rounds touch only its cells, and a part
 * that settled early is not looked at again while a larger one goes on. `part[c]` is -1 for a cell in no line and
 * no equation (nothing ever changes it).
 */
export function independentParts(cellCount: number, lines: { id: ArrayLike<number>; cell: ArrayLike<number> }, eq: Equations): { part: Int32Array; parts: number } {
  const parent = new Int32Array(cellCount).fill(-1);
  const find = (c: number): number => {
    while (parent[c] !== c) {
      const up = parent[parent[c] as number] as number;
      parent[c] = up;
      c = up;
    }
    return c;
  };
  const join = (a: number, b: number) => {
    if (parent[a] === -1) parent[a] = a;
    if (parent[b] === -1) parent[b] = b;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const link = (key: ArrayLike<number>, cell: ArrayLike<number>) => {
    for (let e = 0; e < key.length; e++) {
      const c = cell[e] as number;
      join(c, e > 0 && key[e] === key[e - 1] ? (cell[e - 1] as number) : c);
    }
  };
  link(lines.id, lines.cell);
  link(eq.group, eq.cell);
  const part = new Int32Array(cellCount).fill(-1);
  let parts = 0;
  for (let c = 0; c < cellCount; c++) {
    if (parent[c] === -1) continue;
    const r = find(c);
    part[c] = r === c ? parts++ : (part[r] as number);
  }
  return { part, parts };
}

/** The problem of each part (in the part order of independentParts), with its cells renumbered, and their global indices. */
function splitProblem(p: Problem): { problem: Problem; cells: Int32Array }[] {
  const total = Math.max(p.n, maxOf(p.equations.cell) + 1);
  const { part, parts } = independentParts(total, { id: p.lineIds, cell: p.lineCells }, p.equations);
  const size = new Uint32Array(parts);
  const real = new Uint32Array(parts);
  for (let c = 0; c < total; c++) if ((part[c] as number) >= 0) size[part[c] as number]++, c < p.n && real[part[c] as number]++;
  // Each cell's index in its part: real cells first, latent ones after (both ascending).
  const local = new Int32Array(total);
  const fill = new Uint32Array(parts);
  const fillLatent = Uint32Array.from(real);
  const cellsOf = Array.from(size, (k) => new Int32Array(k));
  for (let c = 0; c < total; c++) {
    const k = part[c] as number;
    if (k < 0) continue;
    const i = c < p.n ? fill[k]++ : fillLatent[k]++;
    local[c] = i as number;
    (cellsOf[k] as Int32Array)[i as number] = c;
  }
  const out = cellsOf.map((cells, k) => {
    const n = real[k] as number;
    const pick = <T,>(a: ArrayLike<T>) => Array.from(cells.subarray(0, n), (c) => a[c] as T);
    return {
      cells,
      problem: {
        protectedN: pick(p.protectedN),
        nonZero: pick(p.nonZero),
        before: Uint8Array.from(pick(p.before)),
        unpublished: p.unpublished && pick(p.unpublished),
        euros: p.euros && pick(p.euros),
        n,
        lineIds: [] as number[],
        lineCells: [] as number[],
        lineIsTotal: [] as boolean[],
        equations: { group: [] as number[], equation: [] as number[], cell: [] as number[], coef: [] as number[] },
      },
    };
  });
  for (let e = 0; e < p.lineIds.length; e++) {
    const c = p.lineCells[e] as number;
    const q = (out[part[c] as number] as (typeof out)[number]).problem;
    q.lineIds.push(p.lineIds[e] as number), q.lineCells.push(local[c] as number), q.lineIsTotal.push(p.lineIsTotal[e] as boolean);
  }
  const eq = p.equations;
  for (let e = 0; e < eq.cell.length; e++) {
    const c = eq.cell[e] as number;
    const q = (out[part[c] as number] as (typeof out)[number]).problem.equations as { group: number[]; equation: number[]; cell: number[]; coef: number[] };
    q.group.push(eq.group[e] as number), q.equation.push(eq.equation[e] as number), q.cell.push(local[c] as number), q.coef.push(eq.coef[e] as number);
  }
  return out;
}

function maxOf(a: ArrayLike<number>): number {
  let m = -1;
  for (let i = 0; i < a.length; i++) if ((a[i] as number) > m) m = a[i] as number;
  return m;
}

/**
 * The step's problem read with q's queries, in its independent parts; null when it has no cells or no lines. (The
 * whole problem's arrays live only in here: once split, the parts hold their own copies, and the whole is freed
 * before the parts are settled.)
 */
async function readParts(conn: DuckDBConnection, q: WithholdQueries): Promise<{ n: number; before: Uint8Array; split: ReturnType<typeof splitProblem> } | null> {
  const cells = await columns<[number[], number[], number[], number[]?, (number | null)[]?]>(conn, q.cells);
  const lines = await columns<[number[], number[], boolean[]]>(conn, q.lines);
  // An empty result has no columns at all.
  if (!cells[0]?.length || !lines[0]?.length) return null;
  const n = cells[0].length;
  const equations = q.equations
    ? withLineGroups(lines, q.lineGroupsBelow, await columns<number[][]>(conn, q.equations))
    : lineEquations(lines);
  const before = Uint8Array.from(cells[2], (h) => h & WHOLE_CELL);
  const split = splitProblem({
    protectedN: cells[0], nonZero: cells[1], before, unpublished: cells[3], euros: cells[4], n,
    lineIds: lines[0], lineCells: lines[1], lineIsTotal: lines[2], equations,
  });
  return { n, before, split };
}

/**
 * Every attacker round either adds a line the step has not had (a recovering combination never seen before) or
 * withholds a cell to widen an amount's interval, so the loop ends; a round that does neither would repeat itself
 * and fails at once. maxAttacks is only a guard against a run that goes on for hours on a huge extract.
 */
export async function withholdComplementary(conn: DuckDBConnection, q: WithholdQueries, maxAttacks = 1_000): Promise<WithholdResult> {
  const ms = { read: 0, choose: 0, attack: 0, interval: 0, write: 0, settle: 0 };
  let lap = Date.now();
  const read = await readParts(conn, q);
  if (!read) return { rounds: 0, withheld: 0, attacks: 0, parts: 0, reused: 0, ms };
  const { n, before, split } = read;
  ms.read = Date.now() - lap;
  const hidden = Uint8Array.from(before);
  let rounds = 0;
  let attacks = 0;
  const previous = q.reuse ? await settledParts(conn, q.reuse) : new Map<string, Settled>();
  const settled: [string, Settled][] = [];
  let reused = 0;
  const keys = split.map(({ problem }) => (q.reuse ? partKey(problem, q, maxAttacks) : ''));
  const kept = keys.map((key) => previous.get(key));
  const todo = split.filter((_, k) => !kept[k]).map(({ problem }) => problem);
  lap = Date.now();
  const fresh = await settleParts(todo, q, maxAttacks, ms, q.workers);
  ms.settle = Date.now() - lap;
  split.forEach(({ problem, cells: global }, k) => {
    const done = kept[k] ?? fresh.shift()!;
    if (kept[k]) reused++;
    if (q.reuse) settled.push([keys[k]!, done]);
    rounds += done.rounds;
    attacks = Math.max(attacks, done.attacks);
    for (let c = 0; c < problem.n; c++) hidden[global[c] as number] = done.hidden[c] as number;
  });
  lap = Date.now();
  await conn.run('create or replace temp table withheld_cells (cell_id bigint, hidden integer)');
  const appender = await conn.createAppender('withheld_cells', 'main', 'temp');
  let withheld = 0;
  for (let c = 0; c < n; c++) {
    if (hidden[c] === before[c]) continue;
    withheld++;
    appender.appendBigInt(BigInt(c + 1));
    appender.appendInteger(hidden[c] as number);
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(q.apply);
  await conn.run('drop table temp.withheld_cells');
  if (q.reuse) await keepSettledParts(conn, q.reuse, settled);
  ms.write = Date.now() - lap;
  return { rounds, withheld, attacks, parts: split.length, reused, ms };
}

/** The code the settling runs: a part settled by other code is settled again. */
const STEP_CODE = ['./withhold-complementary', './settle-part', './suppression', '../disclosure/attacker'].map((m) => {
  const own = new URL(import.meta.url);
  const ext = own.pathname.slice(own.pathname.lastIndexOf('.'));
  return readFileSync(new URL(`${m}${ext}`, own), 'utf8');
});

/**
 * Everything a part's settling reads, hashed: its cells (counts, non-zero and withheld measures, euros), its lines and
 * equations by the order of their ids (the settling never reads an id's value, only where one changes, so the ids
 * a new month shifts do not matter), the options and the code. Equal keys settle to equal results (euros: to the
 * cent).
 */
function partKey(p: Problem, q: Pick<WithholdQueries, 'settleFirst' | 'partial'>, maxAttacks: number): string {
  const hash = createHash('sha256');
  const add = (a: ArrayLike<number>) => hash.update(new Uint8Array(Float64Array.from(a).buffer)).update('|');
  const ranks = (ids: ArrayLike<number>) => {
    const out = new Float64Array(ids.length);
    for (let e = 1; e < ids.length; e++) out[e] = (out[e - 1] as number) + (ids[e] === ids[e - 1] ? 0 : 1);
    return out;
  };
  for (const code of STEP_CODE) hash.update(code);
  hash.update(JSON.stringify([p.n, q.partial ?? false, maxAttacks, p.unpublished !== undefined, p.euros !== undefined]));
  add(p.protectedN), add(p.nonZero), add(p.before);
  if (p.unpublished) add(p.unpublished);
  // Euros to the cent: a double sum's last bits differ between runs of the same data (parallel aggregation).
  if (p.euros) add(Array.from(p.euros, (v) => (v === null ? -1 : Math.round(v * 100)))), add(Array.from(p.euros, (v) => Number(v === null)));
  add(ranks(p.lineIds)), add(p.lineCells), add(Array.from(p.lineIsTotal, Number));
  add(Array.from(p.lineIds, (id) => Number(q.settleFirst !== undefined && id < q.settleFirst)));
  const eq = p.equations;
  add(ranks(eq.group)), add(ranks(eq.equation)), add(eq.cell), add(eq.coef);
  return hash.digest('hex');
}

async function settledParts(conn: DuckDBConnection, step: string): Promise<Map<string, Settled>> {
  await runSqlFile(conn, 'ops/disclosure_parts.sql');
  const rows = (await conn.runAndReadAll('select part_key, hidden, rounds, attacks from ops.disclosure_parts where step = $step', { step })).getRowObjectsJS();
  return new Map(rows.map((r) => [r.part_key as string, {
    hidden: new Uint8Array(Buffer.from(r.hidden as string, 'base64')), rounds: Number(r.rounds), attacks: Number(r.attacks),
  }]));
}

/** The parts of this run replace the step's previous ones (in the caller's transaction). */
async function keepSettledParts(conn: DuckDBConnection, step: string, parts: [string, Settled][]): Promise<void> {
  await conn.run('delete from ops.disclosure_parts where step = $step', { step });
  const appender = await conn.createAppender('disclosure_parts', 'ops');
  for (const [key, done] of parts) {
    appender.appendVarchar(step);
    appender.appendVarchar(key);
    appender.appendVarchar(Buffer.from(done.hidden).toString('base64'));
    appender.appendInteger(done.rounds);
    appender.appendInteger(done.attacks);
    appender.endRow();
  }
  appender.closeSync();
}
