/**
 * Issue 12 item 5: a published file holds the `marts` schema and nothing else. A real working warehouse with
 * raw, staging, ops and marts (a table and a view over staging) is published and its run history synced; the
 * schemas and tables of the published files are listed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOps } from '../../pipelines/settings/ops.js';
import { publishWarehouse, readPointer, syncStatusMarts } from '../../pipelines/ops/publish.js';
import { withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, withReadOnly } from '../helpers/tmp.js';

type Row = Record<string, unknown>;

async function listing(file: string): Promise<{ schemas: string[]; tables: string[] }> {
  return withReadOnly(file, async (conn) => {
    const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Row[];
    const schemas = await rows(`select distinct schema_name as s from duckdb_schemas()
      where database_name = current_database() and not internal order by 1`);
    const tables = await rows(`select table_schema || '.' || table_name as t from information_schema.tables
      where table_catalog = current_database() order by 1`);
    return { schemas: schemas.map((r) => String(r.s)), tables: tables.map((r) => String(r.t)) };
  });
}

describe('publish copies only the marts schema', () => {
  const tmp = tempDir('tj-publish-');
  const warehouse = join(tmp.dir, 'warehouse.duckdb');
  const ops = defaultOps();

  beforeAll(async () => {
    await withWarehouse(warehouse, async (conn) => {
      await conn.run(`
        create table raw.extract as select 'patient-pseudonym-' || i as patient, i as visits from range(5) t(i);
        create table staging.cells as select i as cell, i % 3 as visits from range(10) t(i);
        insert into ops.rejected_rows (run_id, source, source_file, line, column_name, reason, raw_value)
          values ('r1', 'service_use', 'x.csv', 2, 'patients', 'not a number', 'patient-pseudonym-7');
        create table marts.visible as select cell, visits from staging.cells where visits > 0;
        create view marts.visible_total as select sum(visits) as visits from staging.cells;`);
    });
  });
  afterAll(() => tmp.cleanup());

  it('the published file lists only marts tables; views are materialised with their rows', async () => {
    const result = await publishWarehouse({ warehousePath: warehouse, batchId: 'b1', ops });
    expect(result.outcome).toBe('published');
    const file = (result as { file: string }).file;
    expect(await listing(file)).toEqual({ schemas: ['marts'], tables: ['marts.visible', 'marts.visible_total'] });
    const seen = await withReadOnly(file, async (conn) =>
      (await conn.runAndReadAll('select (select count(*) from marts.visible)::integer as n, visits::integer as v from marts.visible_total')).getRowObjectsJS(),
    );
    expect(seen).toEqual([{ n: 6, v: 9 }]);
    expect(readPointer(warehouse)?.tables).toEqual({ 'marts.visible': 6, 'marts.visible_total': 1 });
  });

  it('syncing the run history adds marts.data_status_runs and nothing else', async () => {
    await withWarehouse(warehouse, (conn) =>
      conn.run(`insert into ops.runs (run_id, batch_id, job, trigger, attempt, outcome, started_at, finished_at, host, pid)
        values ('r1', 'b1', 'service-use', 'manual', 1, 'failed', now(), now(), 'h', 1)`),
    );
    const file = await syncStatusMarts({ warehousePath: warehouse, ops, now: new Date(Date.now() + 1000) });
    expect(file).not.toBeNull();
    expect(await listing(file!)).toEqual({
      schemas: ['marts'],
      tables: ['marts.data_status_runs', 'marts.visible', 'marts.visible_total'],
    });
    const runs = await withReadOnly(file!, async (conn) =>
      (await conn.runAndReadAll('select job, outcome from marts.data_status_runs')).getRowObjectsJS(),
    );
    expect(runs).toEqual([{ job: 'service-use', outcome: 'failed' }]);
  });
});
