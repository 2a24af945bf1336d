/**
 * Unit-data import against a temporary DuckDB file: good rows, every reject reason with file, line and column,
 * idempotent re-import, replacement by a later file, a quarantined file, all-or-nothing without quarantine, and the
 * small-number protection of marts.unit_data_monthly.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../pipelines/csv.js';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { importUnitDataFiles } from '../../pipelines/unit-data/import.js';
import { queryRows, runSqlFile, transaction, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
const fixture = (name: string) => fromRoot(`test/fixtures/scorecard/unit-data/${name}`);
const NOW = new Date('2025-01-15T00:00:00Z');

let tmp: { dir: string; cleanup: () => void };
let db: string;

async function run<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withWarehouse(db, (conn) => transaction(conn, () => fn(conn)));
}
const importFiles = (files: string[], quarantine = true) =>
  run((conn) => importUnitDataFiles({ conn, runId: 'test', log, earliestMonth: '2015-01', now: NOW }, files, { quarantine }));

beforeAll(async () => {
  tmp = tempDir('tj-unit-data-');
  db = join(tmp.dir, 'w.duckdb');
  const config = testConfig(db);
  await run((conn) => organisationJob.run({ conn, config, log, runId: 'org' }));
});
afterAll(() => tmp?.cleanup());

describe('unit-data import', () => {
  it('loads good rows; empty cells are not reported, never zero', async () => {
    const r = await importFiles([fixture('good.csv')]);
    expect(r).toMatchObject({ rowsRead: 5, rowsLoaded: 5, rowsRejected: 0 });
    const rows = await run((conn) =>
      queryRows<{ unit_code: string; visits: bigint; sickness_absence_days: number | null; source_line: bigint }>(
        conn,
        `select unit_code, visits, sickness_absence_days, source_line from staging.stg_unit_data__monthly
         where unit_code = 'kajaani-ta' order by month`,
      ),
    );
    expect(rows).toEqual([
      { unit_code: 'kajaani-ta', visits: 2600n, sickness_absence_days: 40, source_line: 5n },
      { unit_code: 'kajaani-ta', visits: 2500n, sickness_absence_days: null, source_line: 6n },
    ]);
  });

  it('rejects defective lines with file, line, column and reason; loads the rest', async () => {
    const r = await importFiles([fixture('defects.csv')]);
    expect(r).toMatchObject({ rowsRead: 11, rowsLoaded: 1, rowsRejected: 10 });
    const rejects = await run((conn) =>
      queryRows<{ source_file: string; line: bigint; column_name: string; reason: string }>(
        conn,
        `select source_file, line, column_name, reason from ops.rejected_rows where source = 'unit_data' order by line, column_name`,
      ),
    );
    expect(new Set(rejects.map((x) => x.source_file))).toEqual(new Set([fixture('defects.csv')]));
    const at = (line: number) => rejects.filter((x) => x.line === BigInt(line)).map((x) => `${x.column_name}: ${x.reason}`);
    expect(at(3)).toEqual(['unit_code: not a unit in the organisation model (units:)']);
    expect(at(4)).toEqual(['month: not a month YYYY-MM']);
    expect(at(5)).toEqual(['staff_htv: must be above 0']);
    expect(at(6)).toEqual(['visits: not a number (decimal point, no thousands separator)']);
    expect(at(7)).toEqual(['feedback_score: must be at most 5 (the 1-5 scale)']);
    expect(at(8)).toEqual(['queue_length: must be a whole number']);
    expect(at(9)).toEqual(['feedback_respondents: a feedback score needs its respondent count (at least 1)']);
    expect(at(10)).toEqual(["month: outside the unit's validity 2019-01..2024-06"]);
    expect(at(11)).toEqual(['month: the unit and month appear already on line 2']);
    expect(at(12)).toEqual(['unit_code: missing']);
    expect(at(2)).toEqual([]);
  });

  it('skips a file it has loaded before (idempotent)', async () => {
    const count = () => run((conn) => queryRows<{ n: bigint }>(conn, 'select count(*) as n from staging.stg_unit_data__monthly'));
    const rejects = () => run((conn) => queryRows<{ n: bigint }>(conn, `select count(*) as n from ops.rejected_rows`));
    const [before] = await count();
    const [rejBefore] = await rejects();
    const r = await importFiles([fixture('good.csv'), fixture('defects.csv')]);
    expect(r.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    expect(await count()).toEqual([before]);
    expect(await rejects()).toEqual([rejBefore]);
  });

  it('replaces the same unit-months from a later file', async () => {
    const r = await importFiles([fixture('correction.csv')]);
    expect(r.files[0]).toMatchObject({ status: 'loaded', rowsLoaded: 1, rowsReplaced: 1 });
    const [row] = await run((conn) =>
      queryRows<{ visits: bigint; sickness_absence_days: number | null; n: bigint }>(
        conn,
        `select visits, sickness_absence_days, (select count(*) from staging.stg_unit_data__monthly where unit_code = 'kempele-ta') as n
         from staging.stg_unit_data__monthly where unit_code = 'kempele-ta' and month = date '2024-01-01'`,
      ),
    );
    expect(row).toEqual({ visits: 1950n, sickness_absence_days: null, n: 4n });
  });

  it('quarantines a file it cannot read, and without quarantine rolls the whole import back', async () => {
    const copy = join(tmp.dir, 'kempele_2024_v2.csv');
    copyFileSync(fixture('good.csv'), copy);
    await expect(importFiles([copy, fixture('wrong_header.csv')], false)).rejects.toThrow(InputFileError);
    const [loads] = await run((conn) =>
      queryRows<{ n: bigint }>(conn, `select count(*) as n from ops.unit_data_loads where source_file = $f`, { f: copy }),
    );
    expect(loads?.n).toBe(0n);
    const r = await importFiles([fixture('wrong_header.csv')]);
    expect(r.files[0]).toMatchObject({ status: 'failed', rowsRejected: 1 });
    const [rej] = await run((conn) =>
      queryRows<{ line: bigint; reason: string }>(conn, `select line, reason from ops.rejected_rows where source_file = $f`, {
        f: fixture('wrong_header.csv'),
      }),
    );
    expect(rej?.line).toBe(1n);
    expect(rej?.reason).toMatch(/missing column\(s\) unit_code, month/);
  });

  it('reads Windows-1252 and gzip files like the service-use import', async () => {
    const latin = join(tmp.dir, 'yksikot_cp1252.csv');
    writeFileSync(latin, Buffer.from('unit_code,month,visits\nkempele-ta,2024-05,100\nhyvinkää-ta,2024-05,100\n', 'latin1'));
    const gz = join(tmp.dir, 'yksikot.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from('unit_code,month,visits\nkajaani-ta,2024-03,2400\n')));
    const r = await importFiles([latin, gz]);
    expect(r.files.map((f) => [f.status, f.rowsLoaded, f.rowsRejected])).toEqual([['loaded', 1, 1], ['loaded', 1, 0]]);
    const [rej] = await run((conn) =>
      queryRows<{ line: bigint; raw_value: string }>(conn, `select line, raw_value from ops.rejected_rows where source_file = $f`, { f: latin }),
    );
    expect(rej).toEqual({ line: 3n, raw_value: 'hyvinkää-ta' });
  });

  it('publishes feedback and queues of 1-4 clients as withheld', async () => {
    const rows = await run(async (conn) => {
      await runSqlFile(conn, 'intermediate/int_unit_data__staff_withheld.sql', { min_unit_htv: 10 });
      await runSqlFile(conn, 'marts/unit_data_monthly.sql', { threshold: 5 });
      return queryRows(
        conn,
        `select strftime(month, '%Y-%m') as month, feedback_score, feedback_respondents, is_feedback_suppressed,
                queue_length, waiting_median_days, is_queue_suppressed
         from marts.unit_data_monthly where unit_code = 'kempele-ta' and month between '2024-02-01' and '2024-03-01' order by month`,
      );
    });
    expect(rows).toEqual([
      { month: '2024-02', feedback_score: null, feedback_respondents: null, is_feedback_suppressed: true, queue_length: 55n, waiting_median_days: 8, is_queue_suppressed: false },
      { month: '2024-03', feedback_score: null, feedback_respondents: 0n, is_feedback_suppressed: false, queue_length: null, waiting_median_days: null, is_queue_suppressed: true },
    ]);
  });
});
