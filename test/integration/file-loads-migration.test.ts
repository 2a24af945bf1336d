/**
 * ops.file_loads (pipelines/sql/ops/file_loads.sql): a warehouse made before it, with its own ops.commentary_loads,
 * ops.unit_data_loads and ops.plan_loads tables, is moved onto it when opened (pipelines/warehouse.ts, migrateFileLoads): the old
 * rows are carried over with their source, the old names read them as views, and a file loaded before is still skipped.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { importUnitDataFiles } from '../../pipelines/unit-data/import.js';
import { queryRows, transaction, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
const unitFile = fromRoot('test/fixtures/scorecard/unit-data/good.csv');
const unitHash = createHash('sha256').update(readFileSync(unitFile)).digest('hex');
let tmp: { dir: string; cleanup: () => void };
let db: string;

/** The three load tables as the code before ops.file_loads made them, with one row each. */
const OLD_WAREHOUSE = `
create schema ops;
create table ops.commentary_loads (
    load_id varchar primary key, run_id varchar not null, source_file varchar not null, file_hash varchar not null,
    file_bytes bigint not null, rows_read bigint not null, rows_loaded bigint not null, rows_rejected bigint not null,
    status varchar not null, message varchar, loaded_at timestamptz not null default current_timestamp);
create table ops.unit_data_loads (
    load_id varchar primary key, run_id varchar not null, source_file varchar not null, file_hash varchar not null,
    file_bytes bigint not null, period_start date, period_end date, rows_read bigint not null,
    rows_loaded bigint not null, rows_rejected bigint not null, rows_replaced bigint not null default 0,
    status varchar not null, message varchar, loaded_at timestamptz not null default current_timestamp);
create table ops.plan_loads (
    load_id varchar primary key, run_id varchar not null, source varchar not null, source_file varchar not null,
    file_hash varchar not null, file_bytes bigint not null, periods varchar, rows_read bigint not null,
    rows_loaded bigint not null, rows_rejected bigint not null, rows_replaced bigint not null default 0,
    status varchar not null, message varchar, loaded_at timestamptz not null default current_timestamp);
insert into ops.plan_loads values
    ('p1', 'old-run', 'plan_budgets', 'talousarvio.xlsx', 'def', 900, 'kainuun-hyvinvointialue 2025 v2', 12, 12, 0, 4,
     'loaded', null, '2025-01-10 08:00:00+00');
insert into ops.commentary_loads values
    ('c1', 'old-run', 'kommentit.csv', 'abc', 120, 17, 16, 1, 'loaded', null, '2025-03-01 10:00:00+00');
insert into ops.unit_data_loads values
    ('u1', 'old-run', $file, $hash, $bytes, '2024-01-01', '2024-12-01', 40, 38, 2, 3, 'loaded', null, '2025-02-01 09:00:00+00');
`;

beforeAll(async () => {
  tmp = tempDir('tj-file-loads-');
  db = join(tmp.dir, 'w.duckdb');
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  await conn.run(OLD_WAREHOUSE, { file: unitFile, hash: unitHash, bytes: statSync(unitFile).size });
  conn.closeSync();
  instance.closeSync();
});
afterAll(() => tmp?.cleanup());

describe('ops.file_loads migration', () => {
  it('moves the old load tables into ops.file_loads when the warehouse is opened, and keeps their names as views', async () => {
    const seen = await withWarehouse(db, async (conn) => ({
      loads: await queryRows(
        conn,
        `select load_id, source, source_file, file_bytes::integer as bytes, period_start::varchar as first, rows_read::integer as r,
                rows_replaced::integer as replaced, periods, status, loaded_at::varchar as at
         from ops.file_loads order by load_id`,
      ),
      kinds: await queryRows(
        conn,
        `select table_name as name, 'table' as kind from duckdb_tables() where schema_name = 'ops' and table_name like '%loads%'
         union all select view_name, 'view' from duckdb_views() where schema_name = 'ops' and view_name like '%loads%' order by 1`,
      ),
      commentary: await queryRows(conn, `select load_id, rows_loaded::integer as n from ops.commentary_loads`),
      unitData: await queryRows(conn, `select load_id, period_end::varchar as last from ops.unit_data_loads`),
      plan: await queryRows(conn, `select load_id, source, periods from ops.plan_loads`),
    }));
    expect(seen.loads).toEqual([
      {
        load_id: 'c1', source: 'commentary', source_file: 'kommentit.csv', bytes: 120, first: null, r: 17, replaced: 0, periods: null,
        status: 'loaded', at: '2025-03-01 10:00:00+00',
      },
      {
        load_id: 'p1', source: 'plan_budgets', source_file: 'talousarvio.xlsx', bytes: 900, first: null, r: 12, replaced: 4,
        periods: 'kainuun-hyvinvointialue 2025 v2', status: 'loaded', at: '2025-01-10 08:00:00+00',
      },
      {
        load_id: 'u1', source: 'unit_data', source_file: unitFile, bytes: statSync(unitFile).size, first: '2024-01-01', r: 40, replaced: 3,
        periods: null, status: 'loaded', at: '2025-02-01 09:00:00+00',
      },
    ]);
    expect(seen.kinds).toEqual([
      { name: 'commentary_loads', kind: 'view' },
      { name: 'file_loads', kind: 'table' },
      { name: 'plan_loads', kind: 'view' },
      { name: 'service_use_loads', kind: 'table' },
      { name: 'unit_data_loads', kind: 'view' },
    ]);
    expect(seen.commentary).toEqual([{ load_id: 'c1', n: 16 }]);
    expect(seen.unitData).toEqual([{ load_id: 'u1', last: '2024-12-01' }]);
    expect(seen.plan).toEqual([{ load_id: 'p1', source: 'plan_budgets', periods: 'kainuun-hyvinvointialue 2025 v2' }]);
  });

  it('skips a file the old warehouse had loaded, and opening it again moves nothing twice', async () => {
    const result = await withWarehouse(db, (conn) =>
      transaction(conn, () => importUnitDataFiles({ conn, runId: 'new-run', log, earliestMonth: '2015-01' }, [unitFile], { quarantine: true })),
    );
    expect(result.files).toEqual([expect.objectContaining({ status: 'unchanged', loadId: 'u1', rowsLoaded: 0 })]);
    const [n] = await withWarehouse(db, (conn) => queryRows<{ n: bigint }>(conn, 'select count(*) as n from ops.file_loads'));
    expect(n?.n).toBe(3n);
  });
});
