/**
 * The population job on real temporary DuckDB files: fixtures and the demo files, rejects in ops, a failing source
 * keeping the previous rows, and a URL source from a local PxWeb-like server on 127.0.0.1 (POST with the query).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { populationJob } from '../../pipelines/jobs/population.js';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import type { PopulationSource } from '../../pipelines/settings/population.js';
import { defaultPopulation } from '../../pipelines/settings/population.js';
import { parseSource, readSourceText } from '../../pipelines/population/import.js';
import { runJobs } from '../../pipelines/runner.js';
import { queryRows, runSqlFile, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);
const fixture = (name: string) => fromRoot(`test/fixtures/population/${name}`);

function withSources(base: ResolvedConfig, sources: PopulationSource[]): ResolvedConfig {
  const population = defaultPopulation();
  return { ...base, population: { ...population, sources, http: { ...population.http, retries: 1, backoffBaseMs: 10, backoffMaxMs: 20, timeoutMs: 5_000 } } };
}

const FIXTURE_SOURCES: PopulationSource[] = [
  { name: 'dense', kind: 'history', variant: 'toteutunut', format: 'json-stat2', file: fixture('dense.json') },
  { name: 'sparse', kind: 'history', variant: 'toteutunut', format: 'json-stat2', file: fixture('sparse.json') },
  { name: 'wide', kind: 'history', variant: 'toteutunut', format: 'csv', file: fixture('wide.csv') },
  { name: 'long', kind: 'projection', variant: 'perus', format: 'csv', file: fixture('long.csv') },
];

describe('population job (fixtures)', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');
  const base = testConfig(warehouse);
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    const summaries = await runJobs([regionsJob, populationJob], { config: withSources(base, FIXTURE_SOURCES), log: quiet });
    expect(summaries.map((s) => s.outcome)).toEqual(['success', 'success']);
  });

  it('loads the parsed rows with codes: names mapped through the municipality key', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ source_name: string; municipality_code: string; year: number; age_group: string; population: bigint; variant: string; age_from: number; age_to: number | null }>(
        conn,
        `select source_name, variant, municipality_code, year, age_group, age_from, age_to, population
         from staging.stg_population__by_age order by source_name, variant, municipality_code, year, age_from`,
      );
      const text = rows.map((r) => `${r.source_name} ${r.variant} ${r.municipality_code} ${r.year} ${r.age_group} ${r.age_from}-${r.age_to ?? ''} ${r.population}`);
      expect(text).toContain('dense toteutunut 244 2021 0-4 0-4 421');
      expect(text).toContain('dense toteutunut 072 2022 85+ 85- 1346');
      expect(text).toContain('sparse toteutunut 564 2022 0-4 0-4 64');
      // "Hailuoto" (a name in the CSV) → 072; "KU244 Kempele" → 244.
      expect(text).toContain('wide toteutunut 072 2022 0-4 0-4 20');
      expect(text).toContain('wide toteutunut 244 2021 85+ 85- 160');
      // The long CSV's Laskelma column gives the variant; decimal comma and en dash read; 300,5 rounds to 301 (bigint).
      expect(text).toContain('long perusvaihtoehto 244 2030 0-4 0-4 1234');
      expect(text).toContain('long perusvaihtoehto 244 2030 75-79 75-79 567');
      expect(text).toContain('long muuttotase_0 244 2030 0-4 0-4 1100');
      expect(rows.find((r) => r.source_name === 'long' && r.age_group === '85+')?.population).toBe(301n);
      expect(rows).toHaveLength(12 + 1 + 4 + 4);
    });
  });

  it('sends bad values and unknown municipalities to ops.rejected_rows with file, position, field and reason', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rejects = await queryRows<{ source_file: string; line: bigint; column_name: string; reason: string; raw_value: string }>(
        conn,
        `select source_file, line, column_name, reason, raw_value from ops.rejects where source = 'population'
         order by source_file, line, column_name`,
      );
      const text = rejects.map((r) => `${r.source_file.split('/').pop()} ${r.line} ${r.column_name} ${r.raw_value}: ${r.reason}`);
      expect(text).toContain('wide.csv 10 2022 Väestö 31.12. abc: not a number');
      expect(text).toContain('wide.csv 14 2022 Väestö 31.12. -5: negative population');
      expect(text).toContain('long.csv 6 municipality Atlantis: unknown municipality: not a code or a Finnish/Swedish name in the Statistics Finland municipality key');
      expect(text).toContain('sparse.json 8 value -3: negative population (JSON-stat2 value index 8)');
      expect(text.filter((t) => / age .*incomplete/.test(t))).toHaveLength(3);
      expect(rejects).toHaveLength(7);
    });
  });

  it('a failing source leaves the previous rows intact', async () => {
    const broken = join(tmp.dir, 'broken.json');
    writeFileSync(broken, '{"class":"dataset","id":["Alue"],"size":[1],"dimension":{"Alue":{"category":{"index":["KU244"]}}},"value":[1]}');
    const config = withSources(base, [
      FIXTURE_SOURCES[0]!,
      { name: 'broken', kind: 'history', variant: 'toteutunut', format: 'json-stat2', file: broken },
    ]);
    const [summary] = await runJobs([populationJob], { config, log: quiet });
    expect(summary?.outcome).toBe('failed');
    expect(summary?.message).toMatch(/broken\.json.*population source broken \(json-stat2\): no age dimension/);
    await withReadOnly(warehouse, async (conn) => {
      const [row] = await queryRows<{ n: bigint; sources: bigint }>(
        conn,
        'select count(*) as n, count(distinct source_name) as sources from staging.stg_population__by_age',
      );
      expect(row).toEqual({ n: 21n, sources: 4n });
    });
  });
});

describe('population job (URL source, local PxWeb server)', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');
  let server: Server;
  let url = '';
  const requests: { method: string; path: string; body: string; contentType: string | undefined }[] = [];
  let failNext = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', body, contentType: req.headers['content-type'] });
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end('busy');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(fixture('dense.json')));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/PxWeb/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11re.px`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    tmp.cleanup();
  });

  it('POSTs the configured query, retries a 503, and loads the answer', async () => {
    const query = {
      query: [{ code: 'Alue', selection: { filter: 'item', values: ['KU244', 'KU072'] } }],
      response: { format: 'json-stat2' },
    };
    const config = withSources(testConfig(warehouse), [
      { name: 'statfin_11re', kind: 'history', variant: 'toteutunut', format: 'json-stat2', url, query },
    ]);
    failNext = 1;
    const summaries = await runJobs([regionsJob, populationJob], { config, log: quiet });
    expect(summaries.map((s) => s.outcome)).toEqual(['success', 'success']);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({ method: 'POST', path: '/PxWeb/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11re.px', contentType: 'application/json' });
    expect(JSON.parse(requests[1]!.body)).toEqual(query);
    await withReadOnly(warehouse, async (conn) => {
      const [row] = await queryRows<{ n: bigint; file: string }>(
        conn,
        'select count(*) as n, any_value(source_file) as file from staging.stg_population__by_age where source_name = $s',
        { s: 'statfin_11re' },
      );
      expect(row).toEqual({ n: 12n, file: url });
    });
  });
});

describe('population job (demo files)', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    // The shipped configuration's demo sources.
    const { loadConfig } = await import('../../pipelines/settings/pipeline.js');
    const shipped = loadConfig({ WAREHOUSE_PATH: warehouse });
    const config = { ...testConfig(warehouse), population: shipped.population };
    const summaries = await runJobs([regionsJob, populationJob], { config, log: quiet });
    expect(summaries.map((s) => s.outcome)).toEqual(['success', 'success']);
    expect(summaries[1]?.rowsRejected).toBe(0);
    await withWarehouse(warehouse, async (conn) => {
      // The mart from the staging table (the marts job does the same with every mart), with the names it reads.
      await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql');
      await runSqlFile(conn, 'marts/population_by_age.sql');
      // The real Sotkanet totals, for the comparison below.
      await conn.run(
        `create table raw.real_totals as select * from read_csv($f, header = true, all_varchar = true)`,
        { f: fromRoot('data/reference/sotkanet/population_by_municipality_2000_2022.csv') },
      );
    });
  });

  it('history age groups sum exactly to the real Sotkanet totals for every municipality and year', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const [row] = await queryRows<{ pairs: bigint; municipalities: bigint; mismatches: bigint; unmatched: bigint; groups: bigint }>(
        conn,
        `with sums as (
           select municipality_code, year, sum(population) as population, count(*) as groups
           from marts.population_by_age where kind = 'history' group by all
         )
         select count(*) as pairs, count(distinct s.municipality_code) as municipalities,
                count(*) filter (where t.population is null or cast(t.population as bigint) <> s.population) as mismatches,
                count(*) filter (where t.population is null) as unmatched,
                min(groups) as groups
         from sums s
         left join raw.real_totals t on t.municipality_code = s.municipality_code and cast(t.year as integer) = s.year`,
      );
      expect(row).toEqual({ pairs: 38n * 23n, municipalities: 38n, mismatches: 0n, unmatched: 0n, groups: 18n });
    });
  });

  it('the projection has both variants for every municipality 2023-2045, and the mart its names and bounds', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ kind: string; variant: string; municipalities: bigint; first: number; last: number; main: boolean }>(
        conn,
        `select kind, variant, count(distinct municipality_code) as municipalities, min(year) as first, max(year) as last,
                bool_and(is_main_variant) as main
         from marts.population_by_age group by all order by kind, variant`,
      );
      expect(rows).toEqual([
        { kind: 'history', variant: 'toteutunut', municipalities: 38n, first: 2000, last: 2022, main: true },
        { kind: 'projection', variant: 'muuttotase_0', municipalities: 38n, first: 2023, last: 2045, main: false },
        { kind: 'projection', variant: 'perus', municipalities: 38n, first: 2023, last: 2045, main: true },
      ]);
      const [oulu] = await queryRows<Record<string, unknown>>(
        conn,
        `select municipality_name_fi, age_from, age_to, typeof(population) as t from marts.population_by_age
         where municipality_code = '564' and age_group = '85+' limit 1`,
      );
      expect(oulu).toEqual({ municipality_name_fi: 'Oulu', age_from: 85, age_to: null, t: 'BIGINT' });
    });
  });
});

describe('population source files', () => {
  it('reads a CSV saved as Windows-1252/Latin-1 like the UTF-8 one', async () => {
    const tmp = tempDir();
    try {
      const latin1 = join(tmp.dir, 'wide-latin1.csv');
      writeFileSync(latin1, Buffer.from(readFileSync(fixture('wide.csv'), 'utf8'), 'latin1'));
      const source: PopulationSource = { name: 'latin1', kind: 'history', variant: 'toteutunut', format: 'csv', file: latin1 };
      const parsed = parseSource(source, await readSourceText(source, defaultPopulation()));
      const utf8 = parseSource({ ...source, file: fixture('wide.csv') }, readFileSync(fixture('wide.csv'), 'utf8'));
      expect(parsed.rows).toEqual(utf8.rows);
      expect(parsed.rows).toHaveLength(4);
    } finally {
      tmp.cleanup();
    }
  });
});
