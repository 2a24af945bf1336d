/**
 * `npx tsx bench/mart-checksums.ts [warehouse]`: proof that a restructuring changes no published number.
 * Runs the demo pipelines (`pipeline run all`, the real CLI) into a fresh temporary warehouse, then prints one
 * line per published mart: `<mart> <rows> <checksum>`. The checksum is order-independent (a sum of row hashes) over
 * every column except run bookkeeping (timestamps, run and batch ids, durations, hosts, pids), with doubles to four
 * decimals and file paths from the project folder on. Save the output before a change and compare after it (`diff`).
 * With a warehouse path it checksums that warehouse's published copy instead of running. `--columns`: one line per
 * column as well (to find which column differs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../pipelines/paths.js';
import { publishedWarehouse } from '../pipelines/ops/publish.js';
import { queryRows, withDuckDB } from '../pipelines/warehouse.js';

/** Columns that carry when a run happened, not what it computed. */
const BOOKKEEPING = /(^|_)(at|at_fi|at_sv|at_en|time|timestamp|run_id|batch_id|duration_ms|duration_s|duration|host|pid|age_hours|age_days|age_ms|loaded_on|started|finished)$|^message$/i;

async function checksums(published: string, perColumn: boolean): Promise<string[]> {
  return withDuckDB(
    published,
    async (conn) => {
      const tables = await queryRows<{ name: string }>(
        conn,
        `select table_name as name from information_schema.tables where table_schema = 'marts' order by 1`,
      );
      const lines: string[] = [];
      for (const { name } of tables) {
        const cols = await queryRows<{ column_name: string; data_type: string }>(
          conn,
          `select column_name, data_type from information_schema.columns
           where table_schema = 'marts' and table_name = $t order by ordinal_position`,
          { t: name },
        );
        const kept = cols.filter((c) => !BOOKKEEPING.test(c.column_name) && !/TIMESTAMP/.test(c.data_type));
        const exprs = kept.map((c) => {
          const q = `"${c.column_name.replace(/"/g, '""')}"`;
          // Four decimals: a sum of doubles may differ in its last bits between two runs of the same code.
          if (/DOUBLE|FLOAT|REAL/.test(c.data_type)) return `round(${q}, 4)`;
          // File paths from the checkout's folder on: the same inputs read from another clone are the same inputs.
          return c.data_type === 'VARCHAR' ? `regexp_replace(${q}, '^/.*/(config|data|pipelines|test)/', '\\1/')` : q;
        });
        const hash = exprs.length ? `hash(${exprs.join(', ')})` : '0';
        const [row] = await queryRows<{ n: bigint; h: bigint }>(
          conn,
          `select count(*) as n, coalesce(sum(${hash}::hugeint) % 18446744073709551616, 0)::varchar as h from marts."${name}"`,
        );
        const dropped = cols.length - kept.length;
        lines.push(`${name} ${row?.n} ${row?.h}${dropped ? ` (without ${cols.filter((c) => !kept.includes(c)).map((c) => c.column_name).join(',')})` : ''}`);
        for (const [i, expr] of (perColumn ? exprs : []).entries()) {
          const [c] = await queryRows<{ h: string }>(conn, `select (sum(hash(${expr})::hugeint) % 18446744073709551616)::varchar as h from marts."${name}"`);
          lines.push(`  ${name}.${kept[i]?.column_name} ${c?.h}`);
        }
      }
      return lines;
    },
    { access_mode: 'READ_ONLY' },
  );
}

const args = process.argv.slice(2);
const perColumn = args.includes('--columns');
const given = args.find((a) => !a.startsWith('--'));
let dir: string | undefined;
let warehouse = given;
if (!warehouse) {
  dir = mkdtempSync(join(tmpdir(), 'tj-checksums-'));
  warehouse = join(dir, 'warehouse.duckdb');
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'pipelines', 'cli.ts'), 'run', 'all'], {
    cwd: projectRoot,
    env: { ...process.env, WAREHOUSE_PATH: warehouse },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) {
    console.error(`run all exited ${run.status}`);
    process.exit(1);
  }
}
try {
  const published = publishedWarehouse(warehouse) ?? warehouse;
  for (const line of await checksums(published, perColumn)) console.log(line);
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
