/**
 * Issue 13, defect 4: an empty 200 from Sotkanet (the CSV header only) for an indicator that has data is an error for
 * that indicator: its rows stay, its data-updated is not advanced (so the next healthy run refetches it), and it is
 * reported. And the publish shrink check works per indicator × year. A local server on 127.0.0.1 plays Sotkanet.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { sotkanetJob } from '../../pipelines/jobs/sotkanet.js';
import { runChecks } from '../../pipelines/ops/publish.js';
import { fromRoot } from '../../pipelines/paths.js';
import { buildSotkanetStaging } from '../../pipelines/sotkanet/load.js';
import { queryRows, runSqlFile, withWarehouse } from '../../pipelines/warehouse.js';
import { withReadOnly } from '../helpers/tmp.js';
import { capturingLogger, type InputFixture, inputFixture, num, outgoingText, runOne } from './input-helpers.js';

const fixture = (p: string) => readFileSync(fromRoot(`test/fixtures/sotkanet/mirror/${p}`), 'utf8');
const HEADER = 'indicator;region;year;gender;primary value;absolute value\n';

/** Sotkanet for indicator 127: regions, metadata with a settable data-updated, and the CSV data or only its header. */
class FakeSotkanet {
  dataUpdated = '2024-04-10';
  empty = false;
  server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.endsWith('/regions')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(fixture('regions.json'));
    if (path.endsWith('/indicators/127')) {
      const doc = { ...(JSON.parse(fixture('indicators/127.json')) as object), 'data-updated': this.dataUpdated };
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    }
    if (path.endsWith('/csv')) return void res.writeHead(200, { 'content-type': 'text/csv' }).end(this.empty ? HEADER : fixture('data/127.csv'));
    res.writeHead(404).end();
  });
  base = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/rest/1.1`;
  }
}

let fx: InputFixture;
const api = new FakeSotkanet();
beforeAll(async () => {
  fx = await inputFixture('tj-sotkanet-empty-');
  await api.start();
});
afterAll(() => {
  api.server.close();
  fx.cleanup();
});

function online(config: ResolvedConfig): ResolvedConfig {
  return {
    ...config,
    sotkanet: {
      ...config.sotkanet,
      mode: 'online',
      baseUrl: api.base,
      format: 'csv',
      timeoutMs: 2000,
      deadlineMs: 20_000,
      retries: 0,
      force: false,
      indicators: [{ id: 127, perspective: 'context', genders: ['total'], years: [2021, 2022] }],
    },
  };
}

async function held(path: string): Promise<{ rows: number; dataUpdated: string | null }> {
  return withReadOnly(path, async (conn) => {
    const [r] = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from raw.sotkanet_data where indicator_id = 127');
    const [m] = await queryRows<{ data_updated: string | null }>(conn, 'select data_updated from raw.sotkanet_indicators where indicator_id = 127');
    return { rows: Number(r?.n ?? 0), dataUpdated: m?.data_updated ?? null };
  });
}

describe('defect 4: an empty 200 does not delete an indicator', () => {
  it('keeps the rows and the old data-updated, reports it, and the next healthy run refetches it without --force', async () => {
    const { path, config } = fx.fresh('empty-200');
    const cfg = online(config);
    api.dataUpdated = '2024-04-10';
    api.empty = false;
    expect((await runOne(cfg, sotkanetJob, capturingLogger().log)).outcome).toBe('success');
    const before = await held(path);
    expect(before.rows).toBeGreaterThan(0);
    expect(before.dataUpdated).toBe('2024-04-10');

    api.dataUpdated = '2024-05-01';
    api.empty = true;
    const { log, lines } = capturingLogger();
    const s = await runOne(cfg, sotkanetJob, log);
    expect(s).toMatchObject({ outcome: 'success', rowsRejected: 1 });
    expect(await held(path)).toEqual(before);
    expect(lines.join('\n')).toMatch(/error sotkanet indicator answered empty, kept indicator=127/);
    expect(await outgoingText(path, [])).toContain(`no data rows for indicator 127, which has ${before.rows} rows: previous rows kept, data-updated not advanced`);

    api.empty = false;
    expect((await runOne(cfg, sotkanetJob, capturingLogger().log)).outcome).toBe('success');
    expect(await held(path)).toEqual({ rows: before.rows, dataUpdated: '2024-05-01' });
  });

  it('the publish check fails when one indicator × year of marts.sotkanet_values disappears, though the table barely shrinks', async () => {
    const { path, config } = fx.fresh('slice-check');
    api.dataUpdated = '2024-04-10';
    api.empty = false;
    expect((await runOne(online(config), sotkanetJob, capturingLogger().log)).outcome).toBe('success');
    const counts = async (file: string) =>
      withWarehouse(file, async (conn) => {
        await runSqlFile(conn, 'marts/sotkanet_values.sql');
        const [r] = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from marts.sotkanet_values');
        return num(r?.n) as number;
      });
    const total = await counts(path);
    const published = join(fx.dir, 'published.duckdb');
    copyFileSync(path, published);
    // The candidate loses indicator 127's year 2021 only.
    await withWarehouse(path, async (conn) => {
      await conn.run("delete from raw.sotkanet_data where indicator_id = 127 and year = '2021'");
      await buildSotkanetStaging(conn, 'test');
    });
    const after = await counts(path);
    const lost = total - after;
    expect(lost).toBeGreaterThan(0);
    const checks = { minRows: {}, uniqueKeys: {}, maxRowDrop: 0.9 };
    const pointer = { file: 'published.duckdb', published_at: '', batch_id: '', tables: { 'marts.sotkanet_values': total } };
    const report = await runChecks(path, checks, pointer, published);
    expect(report.failed).toEqual([`marts.sotkanet_values indicator_id 127, year 2021 is gone: ${lost} → 0 rows`]);
    // Without the previous file only the whole-table check runs, and a 90 % allowance lets it pass.
    expect((await runChecks(path, checks, pointer)).failed).toEqual([]);
  });
});
