/**
 * The online Sotkanet path against a local HTTP server on 127.0.0.1 serving recorded responses (the fixture
 * mirror) and injected faults. Never touches any other network.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { sotkanetJob } from '../../pipelines/jobs/sotkanet.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { SotkanetClient, SotkanetHttpError } from '../../pipelines/sotkanet/client.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);
const fx = (p: string) => readFileSync(fromRoot(`test/fixtures/sotkanet/${p}`), 'utf8');

type Fault = 'ok' | 500 | 503 | { status: 429; retryAfter: string } | 'hang' | 'truncate';

interface Recorded {
  path: string;
  query: string;
  userAgent: string | undefined;
}

/** A recorded-response Sotkanet: fixture files, a data-updated per indicator we can change, queued faults. */
class FakeSotkanet {
  server: Server;
  requests: Recorded[] = [];
  faults = new Map<string, Fault[]>();
  dataUpdated = new Map<number, string>([
    [127, '2024-04-10'],
    [186, '2023-11-02'],
  ]);
  base = '';

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/rest/1.1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  fault(key: string, ...faults: Fault[]): void {
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...faults]);
  }

  count(path: string, indicator?: number): number {
    return this.requests.filter((r) => r.path === path && (indicator === undefined || r.query.includes(`indicator=${indicator}&`) || r.query.endsWith(`indicator=${indicator}`))).length;
  }

  private body(path: string, query: URLSearchParams): { type: string; text: string } | undefined {
    if (path === '/rest/1.1/regions') return { type: 'application/json', text: fx('mirror/regions.json') };
    if (path === '/rest/1.1/indicators') return { type: 'application/json', text: fx('indicators_list.json') };
    const meta = /^\/rest\/1\.1\/indicators\/(\d+)$/.exec(path);
    if (meta) {
      const id = Number(meta[1]);
      const doc = JSON.parse(fx(`mirror/indicators/${id}.json`)) as Record<string, unknown>;
      doc['data-updated'] = this.dataUpdated.get(id);
      return { type: 'application/json', text: JSON.stringify(doc) };
    }
    const id = Number(query.get('indicator'));
    const rows =
      id === 186
        ? (JSON.parse(fx('mirror/data/186.json')) as Record<string, unknown>[])
        : fx('mirror/data/127.csv')
            .trim()
            .split('\n')
            .slice(1)
            .map((l) => {
              const [indicator, region, year, gender, value, absValue] = l.split(';');
              return { indicator, region, year, gender, value: value || undefined, absValue: absValue || undefined };
            });
    if (path === '/rest/1.1/json') return { type: 'application/json', text: JSON.stringify(rows) };
    if (path === '/rest/1.1/csv') {
      const lines = rows.map((r) => [r.indicator, r.region, r.year, r.gender, r.value ?? '', r.absValue ?? ''].join(';'));
      return { type: 'text/csv', text: `indicator;region;year;gender;primary value;absolute value\n${lines.join('\n')}\n` };
    }
    return undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ path: url.pathname, query: url.search.slice(1), userAgent: req.headers['user-agent'] });
    const indicator = url.searchParams.get('indicator');
    const key = indicator ? `${url.pathname}?${indicator}` : url.pathname;
    const queue = this.faults.get(key) ?? [];
    const fault = queue.shift() ?? 'ok';
    const body = this.body(url.pathname, url.searchParams);
    if (fault === 'hang') return; // never answers; the client's timeout must fire
    if (typeof fault === 'number') {
      res.writeHead(fault, { 'content-type': 'text/plain' }).end('server error');
      return;
    }
    if (typeof fault === 'object') {
      res.writeHead(429, { 'retry-after': fault.retryAfter, 'content-type': 'text/plain' }).end('slow down');
      return;
    }
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const text = fault === 'truncate' ? body.text.slice(0, Math.floor(body.text.length / 2)) : body.text;
    res.writeHead(200, { 'content-type': body.type }).end(text);
  }
}

function onlineConfig(warehouse: string, base: string, overrides: Partial<ResolvedConfig['sotkanet']> = {}): ResolvedConfig {
  const cfg = testConfig(warehouse);
  return {
    ...cfg,
    sotkanet: {
      ...cfg.sotkanet,
      mode: 'online',
      baseUrl: base,
      format: 'csv',
      timeoutMs: 300,
      deadlineMs: 20_000,
      retries: 3,
      backoffBaseMs: 5,
      backoffMaxMs: 2_000,
      force: false,
      indicators: [
        { id: 127, perspective: 'context', genders: ['total'], years: [2021, 2022] },
        { id: 186, perspective: 'customer', genders: ['total', 'male'], years: [2021, 2022] },
      ],
      ...overrides,
    },
  };
}

async function snapshot(warehouse: string): Promise<string> {
  return withReadOnly(warehouse, async (conn) => {
    const rows = await queryRows(
      conn,
      `select indicator_id, region_id, year, gender, value, absolute_value, is_missing, loaded_at::varchar as loaded_at
       from staging.stg_sotkanet__values order by all`,
    );
    const raw = await queryRows(conn, 'select * exclude (loaded_at) from raw.sotkanet_data order by all');
    const meta = await queryRows(conn, 'select indicator_id, data_updated, run_id from raw.sotkanet_indicators order by all');
    return JSON.stringify({ rows, raw, meta }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  });
}

describe('Sotkanet online refresh against a local server with faults', () => {
  const api = new FakeSotkanet();
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');

  beforeAll(async () => api.start());
  afterAll(async () => {
    await api.stop();
    tmp.cleanup();
  });
  beforeEach(() => {
    api.requests = [];
    api.faults.clear();
  });

  it('retries 500, 429 (honouring Retry-After) and a hang past the timeout, then loads everything', async () => {
    api.fault('/rest/1.1/csv?127', 500);
    api.fault('/rest/1.1/indicators/186', { status: 429, retryAfter: '1' });
    api.fault('/rest/1.1/regions', 'hang');
    const started = Date.now();
    const [s] = await runJobs([sotkanetJob], { config: onlineConfig(warehouse, api.base), log: quiet });
    const elapsed = Date.now() - started;
    expect(s?.outcome, s?.message).toBe('success');
    expect(api.count('/rest/1.1/regions')).toBe(2); // hang, then success
    expect(api.count('/rest/1.1/csv', 127)).toBe(2); // 500, then success
    expect(api.count('/rest/1.1/indicators/186')).toBe(2); // 429, then success
    expect(elapsed).toBeGreaterThanOrEqual(1_000 + 300 - 50); // Retry-After 1 s + one 300 ms timeout
    expect(elapsed).toBeLessThan(10_000);
    expect(new Set(api.requests.map((r) => r.userAgent))).toEqual(new Set([expect.stringMatching(/^tiedolla-johtaminen\//)]));
    // Repeated years and genders parameters.
    expect(api.requests.find((r) => r.path.endsWith('/csv') && r.query.includes('indicator=186'))?.query).toBe(
      'indicator=186&years=2021&years=2022&genders=total&genders=male',
    );
    await withReadOnly(warehouse, async (conn) => {
      const [row] = await queryRows<{ n: bigint; missing: bigint }>(
        conn,
        'select count(*) as n, count(*) filter (where is_missing) as missing from staging.stg_sotkanet__values',
      );
      expect(row).toEqual({ n: 13n, missing: 3n });
    });
  });

  it('refetches an indicator only when its data-updated changed, or when forced', async () => {
    const before = await snapshot(warehouse);
    const [same] = await runJobs([sotkanetJob], { config: onlineConfig(warehouse, api.base), log: quiet });
    expect(same?.outcome).toBe('success');
    expect(api.count('/rest/1.1/csv')).toBe(0);
    expect(api.count('/rest/1.1/indicators/127')).toBe(1);
    expect(await snapshot(warehouse)).toBe(before);

    api.requests = [];
    api.dataUpdated.set(186, '2024-11-20');
    const [changed] = await runJobs([sotkanetJob], { config: onlineConfig(warehouse, api.base), log: quiet });
    expect(changed?.outcome).toBe('success');
    expect(api.count('/rest/1.1/csv', 186)).toBe(1);
    expect(api.count('/rest/1.1/csv', 127)).toBe(0);

    api.requests = [];
    const [forced] = await runJobs([sotkanetJob], { config: onlineConfig(warehouse, api.base, { force: true }), log: quiet });
    expect(forced?.outcome).toBe('success');
    expect(api.count('/rest/1.1/csv')).toBe(2);
  });

  it('a truncated JSON body fails the job, names indicator and URL, and leaves the previous data intact', async () => {
    const before = await snapshot(warehouse);
    api.dataUpdated.set(127, '2025-01-15'); // changed, so 127 is refetched …
    api.fault('/rest/1.1/json?127', 'truncate'); // … and its body is cut off
    const [s] = await runJobs([sotkanetJob], {
      config: onlineConfig(warehouse, api.base, { format: 'json' }),
      log: quiet,
    });
    expect(s?.outcome).toBe('failed');
    expect(s?.message).toMatch(/Sotkanet indicator 127 \(http:\/\/127\.0\.0\.1:\d+\/rest\/1\.1\/json\?indicator=127&years=2021&years=2022&genders=total\): truncated or malformed JSON/);
    expect(await snapshot(warehouse)).toBe(before);
    await withReadOnly(warehouse, async (conn) => {
      const [run] = await queryRows<{ outcome: string; message: string }>(
        conn,
        `select outcome, message from ops.runs where run_id = $id`,
        { id: s?.runId ?? '' },
      );
      expect(run?.outcome).toBe('failed');
      expect(run?.message).toMatch(/indicator 127/);
      const [rej] = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from ops.rejected_rows where run_id = $id', {
        id: s?.runId ?? '',
      });
      expect(rej?.n).toBe(0n);
    });
    api.dataUpdated.set(127, '2024-04-10');
  });

  it('gives up after the retries on a persistent 5xx and reports it; nothing is half-written', async () => {
    const before = await snapshot(warehouse);
    api.fault('/rest/1.1/csv?186', 503, 503, 503, 503, 503);
    const [s] = await runJobs([sotkanetJob], { config: onlineConfig(warehouse, api.base, { force: true }), log: quiet });
    expect(s?.outcome).toBe('failed');
    expect(s?.message).toMatch(/Sotkanet indicator 186 \(http:\/\/127\.0\.0\.1:\d+\/rest\/1\.1\/csv\?indicator=186.*\): HTTP 503 after 4 attempt\(s\)/);
    expect(api.count('/rest/1.1/csv', 186)).toBe(4);
    // 127 was fetched successfully before 186 failed, but the job is one transaction: nothing of it landed.
    expect(await snapshot(warehouse)).toBe(before);
  });

  it('drops an indicator that is no longer configured (online mode)', async () => {
    const only127 = onlineConfig(warehouse, api.base);
    only127.sotkanet.indicators = only127.sotkanet.indicators.filter((i) => i.id === 127);
    const [s] = await runJobs([sotkanetJob], { config: only127, log: quiet });
    expect(s?.outcome).toBe('success');
    expect(api.count('/rest/1.1/csv')).toBe(0);
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ indicator_id: number }>(
        conn,
        'select distinct indicator_id from staging.stg_sotkanet__values order by 1',
      );
      expect(rows.map((r) => r.indicator_id)).toEqual([127]);
    });
  });

  it('stops at the total deadline when the server keeps hanging', async () => {
    const client = new SotkanetClient({
      baseUrl: api.base,
      userAgent: 'tiedolla-johtaminen/test',
      timeoutMs: 150,
      deadlineMs: 400,
      retries: 10,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
    });
    api.fault('/rest/1.1/regions', ...Array<Fault>(20).fill('hang'));
    const started = Date.now();
    const error = await client.regions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SotkanetHttpError);
    expect((error as Error).message).toMatch(/regions \(http:\/\/127\.0\.0\.1:\d+\/rest\/1\.1\/regions\): .*(deadline|no response within)/);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(api.count('/rest/1.1/regions')).toBeLessThanOrEqual(4);
  });

  it('an abort signal (run timeout, shutdown) stops the request and every further retry', async () => {
    const controller = new AbortController();
    const client = new SotkanetClient({
      baseUrl: api.base,
      userAgent: 'tiedolla-johtaminen/test',
      timeoutMs: 5_000,
      deadlineMs: 20_000,
      retries: 5,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
      signal: controller.signal,
    });
    api.fault('/rest/1.1/regions', 'hang');
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(client.regions()).rejects.toThrow(/regions .*aborted after 1 attempt/);
    // well under the 5 s request timeout that would end it without the abort (margin for a loaded machine)
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(api.count('/rest/1.1/regions')).toBe(1);
  });

  it('a 404 is not retried', async () => {
    const client = new SotkanetClient({
      baseUrl: api.base,
      userAgent: 'tiedolla-johtaminen/test',
      timeoutMs: 300,
      deadlineMs: 5_000,
      retries: 3,
      backoffBaseMs: 5,
      backoffMaxMs: 20,
    });
    await expect(client.getText('nothing-here', [], 'indicator 999')).rejects.toThrow(/indicator 999 .*HTTP 404 after 1 attempt/);
    expect(api.count('/rest/1.1/nothing-here')).toBe(1);
  });
});
