/**
 * The disclosure step over a staging table of cells (cell_id, suppressed, suppression): reads the cells, the lines
 * and the attacker's equations with the given queries, then alternates the complementary choice (./suppression.ts)
 * and the attacker (../disclosure/attacker.ts) in memory until the attacker recovers no withheld cell: every
 * combination the attacker finds becomes one more line, which the next choice closes. Marks the cells it chose as
 * withheld ('complementary'). Used by the service-use marts and the foresight projection.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { findLeaks, type Equations } from '../disclosure/attacker.js';
import { complementarySuppression, MEASURE_BITS } from './suppression.js';

export interface WithholdQueries {
  /** Returns (protected_n double, non_zero integer: MEASURE_BITS, suppressed boolean), one row per cell, by cell_id 1..n. */
  cells: string;
  /** Returns (line_id double, cell index = cell_id - 1 integer, is_total boolean), ordered by line_id, cell_id. */
  lines: string;
  /**
   * Returns (group double, equation double, cell index integer, coef double), ordered by group, equation: the
   * attacker's relations. Cell indices from n up are latent cells (never published, always unknown). Default: every
   * line is one equation of its own group.
   */
  equations?: string;
  /** The table whose cells are withheld: `<schema>.<table>` with cell_id, suppressed and suppression columns. */
  table: string;
}

export interface WithholdResult {
  rounds: number;
  withheld: number;
  /** Attacker rounds (1 = the first choice already left nothing recoverable). */
  attacks: number;
}

const ALL_MEASURES = Object.values(MEASURE_BITS).reduce((a, b) => a | b, 0);

/** The equations of lines: each line one group, its total +1 and its members −1. */
function lineEquations(lines: [number[], number[], boolean[]]): Equations {
  return { group: lines[0], equation: lines[0], cell: lines[1], coef: lines[2].map((t) => (t ? 1 : -1)) };
}

/** Returns the rounds; the chosen cells are updated in `table`. */
export async function withholdComplementary(conn: DuckDBConnection, q: WithholdQueries, maxAttacks = 50): Promise<WithholdResult> {
  const cells = (await conn.runAndReadAll(q.cells)).getColumnsJS() as [number[], number[], boolean[]];
  const lines = (await conn.runAndReadAll(q.lines)).getColumnsJS() as [number[], number[], boolean[]];
  // An empty result has no columns at all.
  if (!cells[0]?.length || !lines[0]?.length) return { rounds: 0, withheld: 0, attacks: 0 };
  const n = cells[0].length;
  const equations = q.equations
    ? ((c) => ({ group: c[0] ?? [], equation: c[1] ?? [], cell: c[2] ?? [], coef: c[3] ?? [] }))(
        (await conn.runAndReadAll(q.equations)).getColumnsJS() as number[][],
      )
    : lineEquations(lines);
  const lineIds = [...lines[0]];
  const lineCells = [...lines[1]];
  const lineIsTotal = [...lines[2]];
  let nextLine = (lineIds.at(-1) ?? 0) + 1; // ordered by line_id
  const suppressed = cells[2].map(Boolean);
  const chosen: number[] = [];
  let rounds = 0;
  let attacks = 0;
  for (;;) {
    const result = complementarySuppression({
      protectedN: cells[0],
      nonZero: cells[1],
      suppressed,
      lineIds,
      lineCells,
      lineIsTotal,
    });
    rounds += result.rounds;
    for (const c of result.complementary) (suppressed[c] = true), chosen.push(c);
    attacks++;
    const leaks = findLeaks(
      equations,
      (c) => (suppressed[c] ? (cells[1][c] as number) & ALL_MEASURES : 0),
      (c) => c >= n,
    );
    if (!leaks.length) break;
    if (attacks >= maxAttacks) throw new Error(`the disclosure step did not settle in ${maxAttacks} attacker rounds`);
    // Each recovering combination becomes a line (its published cells); the next choice withholds one more of them.
    const seen = new Set<string>();
    for (const { support } of leaks) {
      const members = support.filter((c) => c < n).sort((a, b) => a - b);
      const key = members.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const c of members) lineIds.push(nextLine), lineCells.push(c), lineIsTotal.push(false);
      nextLine++;
    }
  }
  await conn.run('create or replace temp table withheld_cells (cell_id bigint)');
  const appender = await conn.createAppender('withheld_cells', 'main', 'temp');
  for (const c of chosen) {
    appender.appendBigInt(BigInt(c + 1));
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(`update ${q.table} set suppressed = true, suppression = 'complementary'
    where cell_id in (select cell_id from temp.withheld_cells)`);
  await conn.run('drop table temp.withheld_cells');
  return { rounds, withheld: chosen.length, attacks };
}
