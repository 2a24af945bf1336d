/**
 * Complementary suppression over a staging table of cells (cell_id, suppressed, suppression): reads the cells and the
 * lines with the given queries, runs the pure algorithm (./suppression.ts) in memory, and marks the cells it chose
 * as withheld ('complementary'). Used by the service-use marts and the foresight projection.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { complementarySuppression } from './suppression.js';

export interface WithholdQueries {
  /** Returns (protected_n double, non_zero integer: MEASURE_BITS, suppressed boolean), one row per cell, by cell_id 1..n. */
  cells: string;
  /** Returns (line_id double, cell index = cell_id - 1 integer, is_total boolean), ordered by line_id, cell_id. */
  lines: string;
  /** The table whose cells are withheld: `<schema>.<table>` with cell_id, suppressed and suppression columns. */
  table: string;
}

/** Returns the number of rounds; the chosen cells are updated in `table`. */
export async function withholdComplementary(conn: DuckDBConnection, q: WithholdQueries): Promise<{ rounds: number; withheld: number }> {
  const cells = (await conn.runAndReadAll(q.cells)).getColumnsJS() as [number[], number[], boolean[]];
  const lines = (await conn.runAndReadAll(q.lines)).getColumnsJS() as [number[], number[], boolean[]];
  // An empty result has no columns at all.
  if (!cells[0]?.length || !lines[0]?.length) return { rounds: 0, withheld: 0 };
  const result = complementarySuppression({
    protectedN: cells[0],
    nonZero: cells[1],
    suppressed: cells[2],
    lineIds: lines[0],
    lineCells: lines[1],
    lineIsTotal: lines[2],
  });
  await conn.run('create or replace temp table withheld_cells (cell_id bigint)');
  const appender = await conn.createAppender('withheld_cells', 'main', 'temp');
  for (const c of result.complementary) {
    appender.appendBigInt(BigInt(c + 1));
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(`update ${q.table} set suppressed = true, suppression = 'complementary'
    where cell_id in (select cell_id from temp.withheld_cells)`);
  await conn.run('drop table temp.withheld_cells');
  return { rounds: result.rounds, withheld: result.complementary.length };
}
