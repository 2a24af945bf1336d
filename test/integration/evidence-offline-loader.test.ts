// The offline loader of evidence-offline/: parquet parts merged in native DuckDB (evidence sources), parquet files
// loaded as tables into a real duckdb-wasm (the prerender engine) and the lazy table registry of the browser engine
// run on the same real duckdb-wasm, with files read from disk as the browser fetches them from the site.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { runNativeCopy } from 'tj-evidence-offline/merge-parquet.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { loadParquetTable } from 'tj-evidence-offline/parquet-tables.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { createLazyTables, isDropdownQuery, namesTable, parquetIPC, queryWithTables } from 'tj-evidence-offline/lazy-tables.js';
// @ts-expect-error: plain JS modules of the Evidence offline module
import { createPrerenderCache } from 'tj-evidence-offline/prerender-cache.js';
import { tempDir } from '../helpers/tmp.js';

type Conn = {
  query: (sql: string) => { toArray(): { toJSON(): Record<string, unknown> }[] };
  insertArrowFromIPCStream: (ipc: Uint8Array, o: object) => void;
};

/** A real duckdb-wasm (the blocking node build Evidence prerenders with), without any extension. */
async function wasmConnection(): Promise<Conn> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm'));
  // @ts-expect-error: the blocking node build of duckdb-wasm (Evidence's prerender engine) ships no types
  const { createDuckDB, NODE_RUNTIME, VoidLogger } = await import('@duckdb/duckdb-wasm/dist/duckdb-node-blocking');
  const db = await createDuckDB(
    {
      mvp: { mainModule: resolve(dist, './duckdb-mvp.wasm'), mainWorker: resolve(dist, './duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: resolve(dist, './duckdb-eh.wasm'), mainWorker: resolve(dist, './duckdb-node-eh.worker.cjs') },
    },
    new VoidLogger(),
    NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({});
  // autoload off: a test that passed by downloading the parquet extension would prove nothing
  const conn = db.connect() as unknown as Conn;
  conn.query('SET autoinstall_known_extensions = false');
  conn.query('SET autoload_known_extensions = false');
  return conn;
}

const rows = (conn: Conn, sql: string) => conn.query(sql).toArray().map((r) => ({ ...r.toJSON() }));

describe('the Evidence offline loader (evidence-offline/)', () => {
  const tmp = tempDir('tj-offline-');
  const part = (n: number) => join(tmp.dir, `part${n}.parquet`);
  const merged = join(tmp.dir, 'scorecard.parquet');
  const other = join(tmp.dir, 'population.parquet');

  beforeAll(async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (select 'a' as org_id, 1.5::double as value) TO '${part(1)}' (FORMAT parquet)`);
    await c.run(`COPY (select 'b' as org_id, 2.25::double as value) TO '${part(2)}' (FORMAT parquet)`);
    await c.run(`COPY (select 2024 as year, 1234567::integer as population) TO '${other}' (FORMAT parquet)`);
    c.closeSync();
    instance.closeSync();
  });
  afterAll(() => tmp.cleanup());

  it('merges parquet parts in native DuckDB, as evidence sources does', async () => {
    await runNativeCopy(`COPY (select * from read_parquet(['${part(1)}', '${part(2)}'])) TO '${merged}' (FORMAT 'PARQUET', CODEC 'ZSTD')`);
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    const r = (await c.runAndReadAll(`select org_id, value from '${merged}' order by org_id`)).getRowObjectsJS();
    expect(r).toEqual([{ org_id: 'a', value: 1.5 }, { org_id: 'b', value: 2.25 }]);
    c.closeSync();
    instance.closeSync();
    await expect(runNativeCopy(`COPY (select * from read_parquet('${join(tmp.dir, 'missing.parquet')}')) TO '${merged}'`)).rejects.toThrow(/missing\.parquet/);
  });

  it('loads a parquet file as a table of duckdb-wasm without its parquet extension (the prerender engine)', async () => {
    const conn = await wasmConnection();
    expect(() => conn.query(`select * from read_parquet('${merged}')`)).toThrow();
    loadParquetTable(conn, { source: 'warehouse', table: 'scorecard', file: merged });
    expect(rows(conn, 'select org_id, value from warehouse.scorecard order by org_id')).toEqual([
      { org_id: 'a', value: 1.5 },
      { org_id: 'b', value: 2.25 },
    ]);
    // loading again replaces the table
    loadParquetTable(conn, { source: 'warehouse', table: 'scorecard', file: part(2) });
    expect(rows(conn, 'select org_id from warehouse.scorecard')).toEqual([{ org_id: 'b' }]);
  });

  it('loads only the tables a query names, once each; a query it cannot read loads all of them', async () => {
    const conn = await wasmConnection();
    const { readParquet } = await import('parquet-wasm/node/arrow1.js');
    const fetched: string[] = [];
    const tables = createLazyTables({
      connection: () => conn,
      fetchParquet: async (url: string) => {
        fetched.push(url);
        return new Uint8Array(readFileSync(join(tmp.dir, url.replace('/data/warehouse/', ''))));
      },
      decodeParquet: (bytes: Uint8Array) => readParquet(bytes).intoIPCStream(),
    });
    tables.note({ warehouse: ['static/data/warehouse/scorecard.parquet', 'static/data/warehouse/population.parquet'] });
    const run = (sql: string) => queryWithTables(tables, sql, async () => rows(conn, sql));

    expect(await run('select count(*)::int as n from warehouse.scorecard')).toEqual([{ n: 2 }]);
    expect(fetched).toEqual(['/data/warehouse/scorecard.parquet']);
    await run('select org_id from "warehouse"."scorecard"');
    expect(fetched).toHaveLength(1); // loaded once
    // a name the pattern does not see (built in a string) fails as a catalog error: every table is loaded, once
    const hidden = `select * from query_table('warehouse.popu' || 'lation')`;
    expect(await run(hidden)).toEqual([{ year: 2024, population: 1234567 }]);
    expect([...fetched].sort()).toEqual(['/data/warehouse/population.parquet', '/data/warehouse/scorecard.parquet']);
    // other errors are the query's own
    await expect(run('select nonsense from warehouse.scorecard')).rejects.toThrow(/nonsense/);
  });

  it('makes an empty source (a parquet file with no row groups) an empty table from its schema file, in the prerender and in the browser engine', async () => {
    // the file the site build writes for an empty source query (pipelines/site-empty-sources.ts), and Evidence's schema file
    const empty = join(tmp.dir, 'top_changes.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (select null::double as year, null::varchar as name_fi where false) TO '${empty}' (FORMAT parquet)`);
    c.closeSync();
    instance.closeSync();
    writeFileSync(join(tmp.dir, 'top_changes.schema.json'), JSON.stringify([
      { name: 'year', evidenceType: 'number', typeFidelity: 'precise' },
      { name: 'name_fi', evidenceType: 'string', typeFidelity: 'precise' },
    ]));
    const { readParquet } = await import('parquet-wasm/node/arrow1.js');
    expect(() => readParquet(readFileSync(empty)).intoIPCStream()).toThrow(/unreachable/); // why the loaders look first
    const columns = (conn: Conn) => rows(conn, `select column_name, data_type from information_schema.columns where table_name = 'top_changes' order by ordinal_position`);
    const expected = [{ column_name: 'year', data_type: 'DOUBLE' }, { column_name: 'name_fi', data_type: 'VARCHAR' }];

    const prerender = await wasmConnection();
    loadParquetTable(prerender, { source: 'warehouse', table: 'top_changes', file: empty });
    expect(rows(prerender, 'select count(*)::int as n from warehouse.top_changes')).toEqual([{ n: 0 }]);
    expect(columns(prerender)).toEqual(expected);

    const browser = await wasmConnection();
    const fetched: string[] = [];
    const read = (url: string) => readFileSync(join(tmp.dir, url.replace('/data/warehouse/', '')));
    const tables = createLazyTables({
      connection: () => browser,
      fetchParquet: async (url: string) => (fetched.push(url), new Uint8Array(read(url))),
      decodeParquet: (bytes: Uint8Array) => parquetIPC(readParquet(bytes)),
      fetchSchema: async (url: string) => (fetched.push(url), JSON.parse(read(url).toString('utf8'))),
    });
    tables.note({ warehouse: ['static/data/warehouse/top_changes.parquet'] });
    const sql = 'select count(*)::int as n from warehouse.top_changes';
    expect(await queryWithTables(tables, sql, async () => rows(browser, sql))).toEqual([{ n: 0 }]);
    expect(columns(browser)).toEqual(expected);
    expect(fetched).toEqual(['/data/warehouse/top_changes.parquet', '/data/warehouse/top_changes.schema.json']);
  });

  it('recognises a table name only as a whole name, quoted or not, with or without its source', () => {
    const t = { source: 'warehouse', table: 'scorecard' };
    expect(namesTable('select * from warehouse.scorecard', t)).toBe(true);
    expect(namesTable('select * from "warehouse"."scorecard" s', t)).toBe(true);
    expect(namesTable('select * from scorecard', t)).toBe(true);
    expect(namesTable('select * from warehouse.scorecard_as_of', t)).toBe(false);
    expect(namesTable('select * from my_scorecard', t)).toBe(false);
  });

  it("tells a dropdown's own queries (which wait for the engine on a prerendered page) from the page's queries", async () => {
    // Evidence's own Query class (its types do not compile under this project's settings)
    const sdk = '@evidence-dev/sdk/usql';
    const { Query } = (await import(sdk)) as { Query: { create: (...args: unknown[]) => { fetch: () => Promise<unknown> } } };
    const sent: string[] = [];
    const run = (sql: string) => {
      sent.push(sql);
      if (sql.includes('DESCRIBE')) return [{ column_name: 'year', column_type: 'INTEGER' }];
      return sql.includes('COUNT(*)') ? [{ rowCount: 1 }] : [{ year: 2024 }];
    };
    // as a dropdown makes it at hydration: its options rebuilt without the prerendered rows
    await Query.create('select distinct year from warehouse.scorecard', run, 'Dropdown-year', {}).fetch();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((sql) => !isDropdownQuery(sql)), sent.join('; ')).toEqual([]);
    sent.length = 0;
    await Query.create('select distinct year from warehouse.scorecard where year > 2000', run, 'years', {}).fetch();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((sql) => isDropdownQuery(sql)), sent.join('; ')).toEqual([]);
    expect(isDropdownQuery('select * from warehouse.scorecard -- Data Dropdown-year')).toBe(false);
  });
});

// branch prerender: the prerender's query cache in memory (evidence-offline/prerender-cache.js)
describe("the prerender's query cache (evidence-offline/prerender-cache.js)", () => {
  const tmp = tempDir('tj-prerender-cache-');
  afterAll(() => tmp.cleanup());
  const api = (...p: string[]) => join(tmp.dir, 'api', ...p);
  const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

  it("writes each distinct result once and each page's query names, as Evidence's prerender reads them back", async () => {
    const conn = await wasmConnection();
    conn.query(`create table units as select * from (values ('a', 1.5::double), ('b', 2.25::double)) t(unit_code, htv)`);
    const cache = createPrerenderCache(tmp.dir);
    const unitA = `select * from units where unit_code = 'a'`;
    const page1 = { route_hash: 'r', additional_hash: 'p1' };
    expect(cache.resultOf(unitA)).toBeNull();
    cache.remember(unitA, conn.query(unitA), { ...page1, query_name: 'unit_data' });
    const [file, ...more] = readdirSync(api('prerendered_queries'));
    expect(more).toEqual([]);
    // named by the md5 of its Arrow IPC bytes, as Evidence names it (the built page fetches it by that name)
    const hash = file!.replace(/\.arrow$/, '');
    expect(createHash('md5').update(readFileSync(api('prerendered_queries', file!))).digest('hex')).toBe(hash);
    expect(json(api('r', 'p1', 'all-queries.json'))).toEqual({ unit_data: hash });

    // the same SQL again (the same query on another page): answered from memory with the same rows, no new file
    const again = cache.resultOf(unitA);
    expect(again.toArray().map((r: { toJSON(): object }) => ({ ...r.toJSON() }))).toEqual([{ unit_code: 'a', htv: 1.5 }]);
    cache.remember(unitA, again, { route_hash: 'r', additional_hash: 'p2', query_name: 'unit_data' });
    // another SQL with the same result shares the file
    const same = `select unit_code, htv from units where htv < 2`;
    cache.remember(same, conn.query(same), { ...page1, query_name: 'first' });
    const unitB = `select * from units where unit_code = 'b'`;
    cache.remember(unitB, conn.query(unitB), { ...page1, query_name: 'other' });
    expect(readdirSync(api('prerendered_queries'))).toHaveLength(2);
    expect(json(api('r', 'p2', 'all-queries.json'))).toEqual({ unit_data: hash });
    // the page's names in the order it ran them
    expect(Object.keys(json(api('r', 'p1', 'all-queries.json')))).toEqual(['unit_data', 'first', 'other']);
    expect(json(api('r', 'p1', 'all-queries.json')).first).toBe(hash);
  });
});
