/**
 * Every table a page shows lists its rows in one order, whatever order `evidence sources` wrote the parquet files in.
 *
 * `evidence sources` writes some marts' rows in another order from run to run, and a query whose ORDER BY leaves ties
 * shows those tied rows in file order, so a refresh could show other rows on a table's first page (the indicator
 * page did until 29.11.2026). Here the page-shaped sources (sources/warehouse/*.sql over the demo warehouse) are
 * written twice, each time in another scrambled row order, and every query a `<DataTable>` shows runs over both, with
 * the page's parameters and its dropdowns' first choices, one thread (so a plan keeps its input's order): the rows
 * must come out in the same order. A query without a full ORDER BY fails with its page and name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../pipelines/paths.js';
import { queryRows, sqlString, withDuckDB } from '../../pipelines/warehouse.js';
import { copyDemoWarehouse } from '../helpers/demo-warehouse.js';
import { pageQueries, runnableSql, type PageQuery } from '../helpers/page-queries.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('tj-table-order-');
const warehouse = join(tmp.dir, 'demo.duckdb');
afterAll(() => tmp.cleanup());
beforeAll(() => copyDemoWarehouse(warehouse), 600_000);

/** The queries each page shows in a DataTable, by page. */
function tableQueries(all: readonly PageQuery[]): PageQuery[] {
  const dir = fromRoot('reports');
  const shown = new Set<string>();
  for (const page of new Set(all.map((q) => q.page))) {
    for (const m of readFileSync(join(dir, page), 'utf8').matchAll(/<DataTable\b[^>]*?\bdata=\{(\w+)\}/g)) shown.add(`${page}|${m[1]}`);
  }
  return all.filter((q) => shown.has(`${q.page}|${q.name}`));
}

/** A page's dropdowns as the page starts: their default value, or the first row of their data query. */
async function dropdownDefaults(page: string, all: readonly PageQuery[], run: (sql: string) => Promise<Record<string, unknown>[]>, values: Record<string, string>) {
  const text = readFileSync(join(fromRoot('reports'), page), 'utf8');
  const chosen: Record<string, string> = { ...values };
  for (const m of text.matchAll(/<UrlDropdown\b([^>]*)\/>/g)) {
    const attr = (name: string) => new RegExp(`\\b${name}=(?:"([^"]*)"|\\{([^}]*)\\}|(\\w+))`).exec(m[1]!)?.slice(1).find((v) => v !== undefined);
    const name = attr('name')!;
    if (chosen[name] !== undefined) continue;
    const fallback = attr('defaultValue');
    if (fallback !== undefined) {
      chosen[name] = fallback;
      continue;
    }
    const source = all.find((q) => q.page === page && q.name === attr('data'));
    const sql = source && runnableSql(source, all, chosen);
    const first = sql ? (await run(sql))[0] : undefined;
    if (first) chosen[name] = String(first[attr('value')!]);
  }
  return chosen;
}

describe('the tables the pages show', () => {
  it('list their rows in the same order whatever order the sources were written in', async () => {
    const all = pageQueries();
    const tables = tableQueries(all);
    const result = await withDuckDB(':memory:', async (conn) => {
      await conn.run(`set threads = 1; attach ${sqlString(warehouse)} as w (read_only); use w`);
      const dir = fromRoot('sources/warehouse');
      for (const order of ['a', 'b']) {
        await conn.run(`attach ':memory:' as ${order}; create schema ${order}.warehouse`);
        for (const f of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
          const sql = readFileSync(join(dir, f), 'utf8');
          await conn.run(`create table ${order}.warehouse.${f.slice(0, -4)} as select * from (${sql}) t order by hash(t::varchar || '${order}')`);
        }
      }
      const run = async (sql: string, catalog = 'a') => {
        await conn.run(`use ${catalog}`);
        return queryRows(conn, sql);
      };
      const one = async (sql: string) => String(Object.values((await run(sql))[0] ?? {})[0]);
      // the parameterised pages: a county, a municipality, a unit, a service area, an indicator with values
      const params: Record<string, Record<string, string>[]> = {
        'alueet/[area].md': [{ area: 'kainuun-hyvinvointialue' }, { area: await one(`select org_id from warehouse.scorecard where org_type = 'municipality' order by org_id limit 1`) }],
        'yksikot/[unit].md': [{ unit: await one(`select org_id from warehouse.scorecard_latest where org_type = 'unit' order by org_id limit 1`) }],
        'palvelualueet/[area].md': [{ area: await one(`select org_id from warehouse.scorecard_latest where org_type = 'service_area' order by org_id limit 1`) }],
        'indikaattorit/[indicator].md': [{ indicator: await one(`select indicator_id from warehouse.scorecard where org_type = 'municipality' and value is not null order by 1 limit 1`) }],
      };
      const differing: string[] = [];
      let compared = 0;
      const text = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      for (const q of tables) {
        for (const values of params[q.page] ?? [{}]) {
          const sql = runnableSql(q, all, await dropdownDefaults(q.page, all, run, values));
          expect(sql, `${q.page} ${q.name}: a parameter or dropdown value it needs`).not.toBeNull();
          const [a, b] = [text(await run(sql!, 'a')), text(await run(sql!, 'b'))];
          expect(b.length, `${q.page} ${q.name}: the same rows`).toBe(a.length);
          if (a.length > 1) compared++;
          if (a.join('\n') !== b.join('\n')) differing.push(`${q.page} ${q.name} ${JSON.stringify(values)}`);
        }
      }
      return { differing, compared };
    });
    expect(result.differing, 'tables whose ORDER BY leaves rows tied').toEqual([]);
    // the check compared real tables of several rows
    expect(result.compared).toBeGreaterThan(15);
  }, 300_000);
});
