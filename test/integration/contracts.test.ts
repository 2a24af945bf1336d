/**
 * The mart contracts in the real pipeline: a run of every job over the demo inputs (one year of Kainuu service use,
 * to stay fast) keeps every contract; then a staging table is broken (a duplicated organisation, a grid tile without its municipality) and
 * the marts job fails naming the mart, the rule and an example key, and its marts stay as they were.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { queryRows, withDuckDB } from '../../pipelines/warehouse.js';
import { tempDir, testConfig } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
const tmp = tempDir('tj-contracts-');
const warehouse = join(tmp.dir, 'w.duckdb');
let config: ResolvedConfig;
afterAll(() => tmp.cleanup());

const organisations = () =>
  withDuckDB(warehouse, (conn) => queryRows<{ n: bigint; codes: bigint }>(conn, `select count(*) as n, count(distinct organisation_code) as codes from marts.organisations`));

beforeAll(async () => {
  const drop = join(tmp.dir, 'service-use');
  mkdirSync(drop);
  copyFileSync(fromRoot('data/demo/service-use/kainuu_2019.csv'), join(drop, 'kainuu_2019.csv'));
  const base = testConfig(warehouse);
  config = { ...base, serviceUse: { ...base.serviceUse, dropDir: drop } };
}, 10_000);

describe('mart contracts in the pipeline', () => {
  it('hold after a run of every job', async () => {
    const summaries = await runJobs(selectJobs('all'), { config, log });
    expect(summaries.map((s) => `${s.job}:${s.outcome}${s.message ? ` ${s.message}` : ''}`)).toEqual(selectJobs('all').map((j) => `${j.name}:success`));
  }, 300_000);

  it('fail the marts job on a duplicate key and a NULL, naming mart, rule and key; the marts stay', async () => {
    const [before] = await organisations();
    expect(before?.n).toBe(before?.codes);
    await withDuckDB(warehouse, async (conn) => {
      await conn.run(`insert into staging.stg_config__organisations select * from staging.stg_config__organisations where organisation_code = 'kainuu'`);
      await conn.run(`update staging.stg_statfi__grid_layouts set code = null where layout = 'kainuu' and name = 'Kajaani'`);
    });
    const [summary] = await runJobs(selectJobs('marts'), { config, log });
    expect(summary?.outcome).toBe('failed');
    expect(summary?.message).toContain('marts.organisations: unique_key (organisation_code): 2 rows share a key, e.g. organisation_code=kainuu');
    expect(summary?.message).toContain('marts.municipality_grid: not_null municipality_code: NULL, e.g. layout=kainuu, municipality_code=NULL');
    // The job's transaction rolled back: the marts are the previous build's.
    expect(await organisations()).toEqual([before]);
  }, 300_000);
});
