import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sotkanetImportJob } from '../../pipelines/jobs/sotkanet.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';
import { queryRows } from '../../pipelines/warehouse.js';

const quiet = createLogger(() => undefined);
const fixtureMirror = fromRoot('test/fixtures/sotkanet/mirror');

describe('import sotkanet <dir> (offline mirror, fixture)', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');
  const config = testConfig(warehouse);
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const [summary] = await runJobs([sotkanetImportJob(fixtureMirror)], { config, log: quiet });
    expect(summary?.outcome).toBe('success');
    expect(summary).toMatchObject({ rowsRead: 17, rowsLoaded: 13, rowsRejected: 4 });
  });

  it('types values; a missing value is NULL with a flag, never 0', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<Record<string, unknown>>(
        conn,
        `select indicator_id, region_id, region_category, region_code, year, gender, value, absolute_value, is_missing
         from staging.stg_sotkanet__values order by indicator_id, region_id, year, gender`,
      );
      expect(rows).toHaveLength(13);
      const hd = rows.find((r) => r.indicator_id === 127 && r.region_id === 616n);
      expect(hd).toMatchObject({ region_category: 'SAIRAANHOITOPIIRI', region_code: '18', value: null, absolute_value: null, is_missing: true });
      // Sotkanet's zero-padded hospital district code "05" becomes the canonical "5".
      expect(rows.find((r) => r.region_id === 603n)?.region_code).toBe('5');
      // JSON: absent keys and explicit nulls are both missing; a real 0 stays 0 and is not missing.
      const reisjarvi = rows.filter((r) => r.indicator_id === 186 && r.region_code === '691');
      expect(reisjarvi.map((r) => [r.year, r.value, r.is_missing])).toEqual([
        [2021, null, true],
        [2022, null, true],
      ]);
      const zero = rows.find((r) => r.indicator_id === 186 && r.gender === 'male');
      expect(zero).toMatchObject({ value: 0, absolute_value: 0, is_missing: false });
    });
  });

  it('sends rejects with reasons to ops.rejected_rows, naming file and line', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rejects = await queryRows<{ line: bigint; column_name: string; reason: string; raw_value: string; source_file: string }>(
        conn,
        `select line, column_name, reason, raw_value, source_file from ops.rejected_rows
         where source = 'sotkanet_data' order by line`,
      );
      expect(rejects.map((r) => [Number(r.line), r.column_name, r.raw_value])).toEqual([
        [9, 'region', '99999'],
        [10, 'year', '20x2'],
        [11, 'primary value', 'abc'],
        [12, 'region', '261'],
      ]);
      expect(rejects[0]?.reason).toMatch(/unknown Sotkanet region id/);
      expect(rejects[3]?.reason).toMatch(/duplicate/);
      expect(rejects[0]?.source_file).toBe(join(fixtureMirror, 'data', '127.csv'));
    });
  });

  it('keeps source and producer on every row (attribution) and the indicator metadata', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const [ind] = await queryRows<Record<string, unknown>>(
        conn,
        `select indicator_id, title_fi, data_updated, value_type, source, producer, is_synthetic, perspective
         from staging.stg_sotkanet__indicators where indicator_id = 186`,
      );
      expect(ind).toEqual({
        indicator_id: 186,
        title_fi: 'Kuolleisuus / 100 000 asukasta',
        data_updated: '2023-11-02',
        value_type: 'PER100000',
        source: 'THL / Sotkanet',
        producer: 'Tilastokeskus',
        is_synthetic: false,
        perspective: 'customer',
      });
      const [pop] = await queryRows<{ n: bigint }>(
        conn,
        `select count(*) as n from staging.stg_sotkanet__population where municipality_code = '564' and population = 211848 and year = 2022`,
      );
      expect(pop?.n).toBe(1n);
    });
  });

  it('loads data/<id>.json and data/<id>.csv the same way', async () => {
    const other = tempDir();
    try {
      cpSync(fixtureMirror, other.dir, { recursive: true });
      rmSync(join(other.dir, 'data', '127.csv'));
      writeFileSync(
        join(other.dir, 'data', '127.json'),
        JSON.stringify([
          { indicator: 127, region: 261, year: 2022, gender: 'total', value: 211848, absValue: 211848 },
          { indicator: 127, region: 616, year: 2022, gender: 'total' },
        ]),
      );
      const wh = join(other.dir, 'wh.duckdb');
      const [s] = await runJobs([sotkanetImportJob(other.dir)], { config: testConfig(wh), log: quiet });
      expect(s?.outcome).toBe('success');
      await withReadOnly(wh, async (conn) => {
        const rows = await queryRows<{ region_code: string; value: number | null; is_missing: boolean }>(
          conn,
          `select region_code, value, is_missing from staging.stg_sotkanet__values where indicator_id = 127 order by region_code`,
        );
        expect(rows).toEqual([
          { region_code: '18', value: null, is_missing: true },
          { region_code: '564', value: 211848, is_missing: false },
        ]);
      });
    } finally {
      other.cleanup();
    }
  });

  it('fails, naming the file, when a mirror lacks metadata, and leaves the warehouse as it was', async () => {
    const broken = tempDir();
    try {
      cpSync(fixtureMirror, broken.dir, { recursive: true });
      rmSync(join(broken.dir, 'indicators', '186.json'));
      const [s] = await runJobs([sotkanetImportJob(broken.dir)], { config, log: quiet });
      expect(s?.outcome).toBe('failed');
      expect(s?.message).toMatch(/indicator 186 .*186\.json.*metadata file missing/);
      await withReadOnly(warehouse, async (conn) => {
        const [row] = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from staging.stg_sotkanet__values');
        expect(row?.n).toBe(13n);
      });
    } finally {
      broken.cleanup();
    }
  });
});
