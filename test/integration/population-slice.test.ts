import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { runJobs } from '../../pipelines/runner.js';
import { copyDemoWarehouse } from '../helpers/demo-warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const log = createLogger(() => {});
const tmp = tempDir('tj-slice-');
afterAll(() => tmp.cleanup());

/** The real population file, read independently of the pipeline: code → year → population. */
function populationFromFile(file: string): Map<string, Map<number, number>> {
  const byCode = new Map<string, Map<number, number>>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const [code, year, population] = line.split(',');
    if (!byCode.has(code!)) byCode.set(code!, new Map());
    byCode.get(code!)!.set(Number(year), Number(population));
  }
  return byCode;
}

async function mart(warehouse: string, sql: string, params: (string | number)[] = []) {
  return withReadOnly(warehouse, async (conn) => (await conn.runAndReadAll(sql, params)).getRowObjectsJS());
}

async function populationOf(warehouse: string, areaId: string, year: number): Promise<number | undefined> {
  const rows = await mart(warehouse, 'select population from marts.population_by_area where area_id = $1 and year = $2', [areaId, year]);
  return rows[0] ? Number(rows[0].population) : undefined;
}

describe('population slice: real files → staging → marts.population_by_area', () => {
  const warehouse = join(tmp.dir, 'warehouse.duckdb');
  const config = testConfig(warehouse);
  const file = populationFromFile(config.reference.population);
  const kainuu = ['105', '205', '290', '578', '620', '697', '765', '777'];

  beforeAll(async () => {
    // every job over the demo inputs, each a success (the shared demo warehouse, test/helpers/demo-warehouse.ts)
    await copyDemoWarehouse(warehouse);
  });

  it('keeps every municipality value of the file', async () => {
    for (const [code, year] of [['564', 2022], ['691', 2022], ['005', 2000], ['205', 2010]] as const) {
      expect(await populationOf(warehouse, `municipality:${code}`, year)).toBe(file.get(code)!.get(year));
    }
    const [count] = await mart(warehouse, "select count(*) as n from marts.population_by_area where area_type = 'municipality'");
    expect(Number(count!.n)).toBe(7107);
  });

  it('sums areas from their members: Kainuu county, the country', async () => {
    for (const year of [2000, 2013, 2022]) {
      const expected = kainuu.reduce((sum, code) => sum + file.get(code)!.get(year)!, 0);
      expect(await populationOf(warehouse, 'wellbeing_county:20', year)).toBe(expected);
      expect(await populationOf(warehouse, 'hospital_district:19', year)).toBe(expected);
      let country = 0;
      for (const series of file.values()) country += series.get(year) ?? 0;
      expect(await populationOf(warehouse, 'country:SSS', year)).toBe(country);
    }
  });

  it('dates memberships: Reisjärvi counts in Keski-Pohjanmaa hospital district (2022) and Pohjois-Pohjanmaa county', async () => {
    // Members straight from the Statistics Finland key file, independently of the pipeline's SQL.
    const [header, ...lines] = readFileSync(config.reference.municipalityKey, 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const at = (row: string[], name: string) => row[cols.indexOf(name)];
    const rows = lines.map((l) => l.split(','));
    const members = (year: string, column: string, code: string) =>
      rows.filter((r) => at(r, 'year') === year && at(r, column) === code).map((r) => at(r, 'municipality_code')!);
    const shp17 = members('2022', 'sairaanhoitop_code', '17');
    const county19 = members('2023', 'hyvinvointialue_code', '19');
    expect(shp17).toContain('691');
    expect(county19).toContain('691');
    expect(members('2022', 'sairaanhoitop_code', '18')).not.toContain('691');
    const sum = (codes: string[]) => codes.reduce((s, c) => s + (file.get(c)?.get(2022) ?? 0), 0);
    expect(await populationOf(warehouse, 'hospital_district:17', 2022)).toBe(sum(shp17));
    expect(await populationOf(warehouse, 'wellbeing_county:19', 2022)).toBe(sum(county19));
  });

  it('records each run in ops.runs', async () => {
    const runs = await mart(warehouse, "select job, outcome from ops.runs order by started_at");
    expect(runs.map((r) => `${r.job}:${r.outcome}`)).toEqual(selectJobs('all').map((j) => `${j.name}:success`));
  });

  it('rejects bad rows with file, line, column and reason, and loads the good ones', async () => {
    // The real municipality key with two defective rows appended.
    const bad = join(tmp.dir, 'municipality-key-with-defects.csv');
    const lines = readFileSync(config.reference.municipalityKey, 'utf8').trimEnd().split('\n');
    const good = lines.find((l) => l.startsWith('2022,564,'))!;
    writeFileSync(bad, [...lines, good.replace('2022,564,', '20x2,564,'), good.replace('2022,564,', '2022,56,')].join('\n') + '\n');
    const wh = join(tmp.dir, 'defects.duckdb');
    const cfg = testConfig(wh, { reference: { ...config.reference, municipalityKey: bad } });
    const summaries = await runJobs(selectJobs('regions'), { config: cfg, log });
    expect(summaries[0], summaries[0]?.message).toMatchObject({ job: 'regions', outcome: 'success' });
    const rejects = await mart(wh, "select source_file, line, column_name, reason, raw_value from ops.rejects where source = 'statfi_municipality_key' order by line");
    expect(rejects).toEqual([
      { source_file: bad, line: BigInt(lines.length + 1), column_name: 'year', reason: 'not a year between 1900 and 2100', raw_value: '20x2' },
      { source_file: bad, line: BigInt(lines.length + 2), column_name: 'municipality_code', reason: 'not a three-digit municipality code', raw_value: '56' },
    ]);
    const [loaded] = await mart(wh, 'select count(*) as n from staging.stg_statfi__municipality_years');
    expect(Number(loaded!.n)).toBe(lines.length - 1);
  });

  it('a failing run keeps the previous data and says which file is wrong', async () => {
    const before = await mart(warehouse, 'select count(*) as n, sum(population) as s from marts.population_by_area');
    const broken = join(tmp.dir, 'municipality-key-broken.csv');
    writeFileSync(broken, 'vuosi,kuntakoodi\n2022,564\n');
    const cfg = testConfig(warehouse, { reference: { ...config.reference, municipalityKey: broken } });
    const summaries = await runJobs(selectJobs('all'), { config: cfg, log });
    const regions = summaries.find((s) => s.job === 'regions')!;
    expect(regions.outcome).toBe('failed');
    expect(regions.message).toContain(`${broken}, line 1: missing column(s) year, municipality_code`);
    expect(summaries.find((s) => s.job === 'marts')!.outcome).toBe('skipped');
    expect(await mart(warehouse, 'select count(*) as n, sum(population) as s from marts.population_by_area')).toEqual(before);
    const [raw] = await mart(warehouse, 'select count(*) as n from raw.statfi_municipality_key');
    expect(Number(raw!.n)).toBe(4365);
    const runs = await mart(warehouse, "select outcome, message from ops.runs where job = 'regions' order by started_at desc limit 1");
    expect(runs[0]).toMatchObject({ outcome: 'failed' });
    expect(String(runs[0]!.message)).toContain(broken);
  });
});
