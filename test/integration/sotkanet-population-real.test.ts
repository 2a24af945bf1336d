/**
 * Real data through the Sotkanet path: the embedded population file (Sotkanet indicator 127) is written as a
 * mirror (the demo-mirror generator), imported with `import sotkanet`'s job, and the marts are checked against
 * totals computed here directly from the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { martGraph } from '../../pipelines/jobs/mart-graph.js';
import { buildGraph } from '../../pipelines/models/build.js';
import { ensurePopulationStaging } from '../../pipelines/population/import.js';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import { sotkanetImportJob } from '../../pipelines/jobs/sotkanet.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { generateDemoMirror } from '../../pipelines/demo/sotkanet-mirror.js';
import { queryRows, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);

/** Population per municipality and year, straight from the file. */
const population = new Map<string, number>();
for (const line of readFileSync(fromRoot('data/reference/sotkanet/population_by_municipality_2000_2022.csv'), 'utf8').trim().split('\n').slice(1)) {
  const [code, year, value] = line.split(',');
  population.set(`${code}:${year}`, Number(value));
}
const total = (codes: string[], year: number) => codes.reduce((s, c) => s + (population.get(`${c}:${year}`) ?? NaN), 0);

const LAKEUS = ['244', '072', '425', '436', '494', '859'];
const KAINUU = ['105', '205', '290', '578', '620', '697', '765', '777'];
const OULUN_ETELAINEN = ['208', '483', '563', '009', '746', '535', '977', '069', '626', '317', '691'];

describe('population (indicator 127) through the Sotkanet path, real data', () => {
  const tmp = tempDir();
  const warehouse = join(tmp.dir, 'wh.duckdb');
  const mirror = join(tmp.dir, 'mirror');
  afterAll(() => tmp.cleanup());

  beforeAll(async () => {
    generateDemoMirror(mirror);
    const summaries = await runJobs([regionsJob, organisationJob, sotkanetImportJob(mirror)], { config: testConfig(warehouse), log: quiet });
    expect(summaries.map((s) => `${s.job}:${s.outcome}:${s.message ?? ''}`)).toEqual(['regions:success:', 'organisation:success:', 'sotkanet:success:']);
    await withWarehouse(warehouse, async (conn) => {
      // As the marts job: the population staging tables (empty: the population job did not run), then the marts.
      await ensurePopulationStaging(conn, testConfig(warehouse).population, 'test');
      // The region, organisation and Sotkanet marts, selected from the marts job's graph (built in its order).
      const select = 'int_municipality__latest_names municipality_code_map municipality_harmonisation regions region_memberships organisations organisation_members_by_year sotkanet_indicators sotkanet_values sotkanet_values_by_organisation municipal_counts_harmonised population_by_area population_by_age municipality_grid';
      await buildGraph(conn, martGraph(testConfig(warehouse), quiet), { select, runId: 'test', log: quiet });
    });
  });

  it('the committed demo mirror is exactly what the generator makes (deterministic, small)', () => {
    const committed = fromRoot('data/demo/sotkanet');
    let bytes = 0;
    for (const rel of ['mirror.json', 'regions.json', ...readdirSync(join(committed, 'indicators')).map((f) => `indicators/${f}`), ...readdirSync(join(committed, 'data')).map((f) => `data/${f}`)]) {
      const text = readFileSync(join(committed, rel), 'utf8');
      bytes += text.length;
      expect(readFileSync(join(mirror, rel), 'utf8'), rel).toBe(text);
    }
    // every comparator region (all municipalities, counties, hospital districts, Finland) for every default indicator
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('keeps every real value of the file', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const [row] = await queryRows<{ n: bigint; oulu2022: number; name: string; synthetic: boolean }>(
        conn,
        `select (select count(*) from marts.sotkanet_values where indicator_id = 127 and region_category = 'KUNTA') as n,
                value as oulu2022, region_name_fi as name, is_synthetic as synthetic
         from marts.sotkanet_values where indicator_id = 127 and region_category = 'KUNTA' and region_code = '564' and year = 2022`,
      );
      expect(Number(row?.n)).toBe(population.size);
      expect(row).toMatchObject({ oulu2022: population.get('564:2022'), name: 'Oulu', synthetic: false });
    });
  });

  it('collaboration-area totals per year equal the sums computed from the file', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ organisation_code: string; year: number; value: number; aggregation: string; member_count: number }>(
        conn,
        `select organisation_code, year, value, aggregation, member_count from marts.sotkanet_values_by_organisation
         where indicator_id = 127 and gender = 'total'`,
      );
      const get = (org: string, year: number) => rows.find((r) => r.organisation_code === org && r.year === year);
      expect(get('lakeus', 2015)).toMatchObject({ value: total(LAKEUS, 2015), aggregation: 'sum', member_count: 6 });
      expect(get('lakeus', 2022)?.value).toBe(total(LAKEUS, 2022));
      expect(get('kainuu', 2020)?.value).toBe(total(KAINUU, 2020));
      expect(get('oulun-etelainen', 2018)).toMatchObject({ value: total(OULUN_ETELAINEN, 2018), member_count: 11 });
      expect(get('selanne', 2022)?.value).toBe(total(['069', '626', '317', '691'], 2022));
      // Uusi Oulu 2012 had five member municipalities; Sotkanet reports them on current boundaries as Oulu.
      expect(get('uusi-oulu', 2012)).toMatchObject({ value: population.get('564:2012'), member_count: 1 });
      // The collaboration areas end in 2022 and the counties start in 2023.
      expect(get('lakeus', 2010)).toBeUndefined();
      expect(rows.some((r) => r.organisation_code === 'lakeus' && r.year > 2022)).toBe(false);
      expect(get('lakeus', 2011)?.value).toBe(total(LAKEUS, 2011));
    });
  });

  it('marts.population_by_area is built from the Sotkanet staging with the real totals', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ area_type: string; area_code: string; year: number; population: bigint }>(
        conn,
        `select area_type, area_code, year, population from marts.population_by_area
         where (area_type = 'country' and year = 2022) or (area_type = 'municipality' and area_code = '691' and year = 2000)`,
      );
      const all2022 = [...population.entries()].filter(([k]) => k.endsWith(':2022')).reduce((s, [, v]) => s + v, 0);
      expect(rows.find((r) => r.area_type === 'country')?.population).toBe(BigInt(all2022));
      expect(rows.find((r) => r.area_type === 'municipality')?.population).toBe(BigInt(population.get('691:2000') ?? -1));
    });
  });

  it('synthetic indicators are flagged and credited as example data', async () => {
    await withReadOnly(warehouse, async (conn) => {
      const rows = await queryRows<{ indicator_id: number; is_synthetic: boolean; attribution_fi: string; perspective: string }>(
        conn,
        'select indicator_id, is_synthetic, attribution_fi, perspective from marts.sotkanet_indicators order by indicator_id',
      );
      expect(rows.find((r) => r.indicator_id === 127)).toMatchObject({ is_synthetic: false, attribution_fi: 'Lähde: THL / Sotkanet, Tilastokeskus' });
      const synthetic = rows.filter((r) => r.indicator_id !== 127);
      expect(synthetic.length).toBeGreaterThanOrEqual(20);
      expect(synthetic.every((r) => r.is_synthetic && /esimerkkiaineisto/.test(r.attribution_fi))).toBe(true);
      expect(new Set(rows.map((r) => r.perspective))).toEqual(new Set(['context', 'customer', 'process', 'finance']));
    });
  });
});
