/**
 * Service-use import against real temporary DuckDB files: every input form, defective files, idempotency,
 * period replacement, atomicity, and the published marts.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import type { Job } from '../../pipelines/jobs/job.js';
import { serviceUseImportJob, serviceUseJob } from '../../pipelines/jobs/service-use.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs, type RunSummary } from '../../pipelines/runner.js';
import { buildServiceUseMarts } from '../../pipelines/service-use/marts.js';
import { queryRows, runSqlFile, transaction, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);
const fixture = (name: string) => fromRoot(`test/fixtures/service-use/${name}`);

let tmp: { dir: string; cleanup: () => void };
let baseDb: string;

/** A warehouse with the municipality key loaded (the region model the import validates against). */
async function freshWarehouse(name: string): Promise<{ path: string; config: ResolvedConfig }> {
  const path = join(tmp.dir, `${name}.duckdb`);
  copyFileSync(baseDb, path);
  return { path, config: testConfig(path) };
}

async function importFiles(config: ResolvedConfig, files: string[]): Promise<RunSummary> {
  const [summary] = await runJobs([serviceUseImportJob(files)], { config, log: quiet });
  if (!summary) throw new Error('no run summary');
  return summary;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

async function staging(path: string, where = 'true'): Promise<Row[]> {
  return withReadOnly(path, (conn) =>
    queryRows(
      conn,
      `select strftime(month, '%Y-%m') as month, municipality_code, specialty_code, service_type, visits, care_periods,
              bed_days, patients, cost_eur, source_name, source_file, load_id
       from staging.stg_service_use__monthly where ${where}
       order by month, municipality_code, specialty_code, service_type`,
    ),
  );
}

async function rejects(path: string, file: string): Promise<Row[]> {
  return withReadOnly(path, (conn) =>
    queryRows(conn, `select line, column_name, reason, raw_value from ops.rejects where source_file = $file order by line, column_name`, {
      file,
    }),
  );
}

beforeAll(async () => {
  tmp = tempDir('tj-service-use-');
  baseDb = join(tmp.dir, 'base.duckdb');
  const [s] = await runJobs([regionsJob], { config: testConfig(baseDb), log: quiet });
  expect(s?.outcome).toBe('success');
});

afterAll(() => tmp.cleanup());

describe('input forms', () => {
  it('loads a ;-separated, decimal-comma, Finnish-header UTF-8 file with BOM', async () => {
    const { path, config } = await freshWarehouse('fi');
    const s = await importFiles(config, [fixture('monthly_fi_semicolon_bom.csv')]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 4, rowsLoaded: 4, rowsRejected: 0 });
    const rows = await staging(path);
    expect(rows.map((r) => [r.month, r.municipality_code, r.specialty_code, r.service_type, num(r.visits), num(r.patients), num(r.cost_eur)])).toEqual([
      ['2020-01', '072', '20', 'day_surgery', 3, 3, 4520],
      ['2020-01', '564', '10', 'inpatient_period', 0, 104, 612004.1],
      ['2020-01', '564', '10', 'outpatient_visit', 1204, 830, 245310.55],
      ['2020-02', '205', '70', 'outpatient_visit', 640, 210, 98765.4],
    ]);
    expect(num(rows[1]?.bed_days)).toBe(498);
    expect(rows[0]?.source_file).toBe(fixture('monthly_fi_semicolon_bom.csv'));
    expect(rows[0]?.load_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('loads a comma-separated, decimal-point file with English headers (and an optional DRG column)', async () => {
    const { path, config } = await freshWarehouse('en');
    const s = await importFiles(config, [fixture('monthly_en_comma.csv')]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 3, rowsLoaded: 3, rowsRejected: 0 });
    const rows = await staging(path);
    expect(rows.map((r) => [r.municipality_code, r.specialty_code, r.service_type, num(r.care_periods), num(r.bed_days), num(r.cost_eur)])).toEqual([
      ['205', '50', 'outpatient_visit', 0, 0, 40500.5],
      ['205', '80', 'inpatient_period', 12, 61, 70321],
      ['564', '50', 'day_surgery', 0, 0, 51234.75],
    ]);
  });

  it('reads Windows-1252 without bytes 0x80-0x9F as latin-1: ä ö å survive', async () => {
    const { path, config } = await freshWarehouse('cp1252');
    const file = fixture('monthly_cp1252.csv');
    const s = await importFiles(config, [file]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 4, rowsLoaded: 3, rowsRejected: 1 });
    const rows = await staging(path);
    expect(rows.map((r) => [r.month, r.municipality_code, r.service_type, num(r.visits), num(r.bed_days), num(r.cost_eur)])).toEqual([
      ['2020-04', '564', 'day_surgery', 12, 0, 9876.5],
      ['2020-04', '615', 'outpatient_visit', 40, 0, 4321],
      ['2020-04', '777', 'inpatient_period', 0, 27, 33000],
    ]);
    expect(await rejects(path, file)).toEqual([
      { line: 5n, column_name: 'service_type', reason: expect.stringContaining('unknown service type'), raw_value: 'kotikäynti' },
    ]);
    const [load] = await withReadOnly(path, (c) => queryRows<Row>(c, 'select file_format, extract_kind from ops.service_use_loads'));
    expect(load).toEqual({ file_format: 'csv windows-1252', extract_kind: 'monthly' });
  });

  it('transcodes Windows-1252 with € – “ ” and aggregates an event-level extract', async () => {
    const { path, config } = await freshWarehouse('events1252');
    const file = fixture('events_cp1252_euro.csv');
    const s = await importFiles(config, [file]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 8, rowsLoaded: 6, rowsRejected: 2 });
    const rows = await staging(path);
    expect(rows.map((r) => [r.month, r.municipality_code, r.specialty_code, r.service_type, num(r.visits), num(r.care_periods), num(r.bed_days), num(r.patients), num(r.cost_eur)])).toEqual([
      ['2020-05', '205', '10', 'inpatient_period', 0, 1, 5, 1, 3300],
      ['2020-05', '564', '20', 'inpatient_period', 0, 1, 4, 1, 5400],
      ['2020-05', '564', '20', 'outpatient_visit', 3, 0, 0, 2, 530.75],
      ['2020-06', '205', '10', 'day_surgery', 1, 0, 0, 1, 900],
    ]);
    expect(await rejects(path, file)).toEqual([
      { line: 8n, column_name: 'municipality_code', reason: expect.stringContaining('unknown municipality code'), raw_value: 'Hämeenlinna' },
      { line: 9n, column_name: 'service_type', reason: expect.stringContaining('unknown service type'), raw_value: 'etäkäynti – puhelin' },
    ]);
  });

  it('loads a comma-separated UTF-8 event-level extract with ISO dates', async () => {
    const { path, config } = await freshWarehouse('events');
    await importFiles(config, [fixture('events_utf8.csv')]);
    const rows = await staging(path);
    expect(rows.map((r) => [r.municipality_code, r.specialty_code, r.service_type, num(r.visits), num(r.care_periods), num(r.bed_days), r.patients, num(r.cost_eur)])).toEqual([
      ['205', '77', 'inpatient_period', 0, 1, 5, null, 4200.1],
      ['564', '40', 'inpatient_period', 0, 1, 1, null, 800],
      ['564', '40', 'outpatient_visit', 2, 0, 0, null, 250],
    ]);
  });

  it('loads an .xlsx workbook (dates, numeric codes, Finnish text) and a gzip CSV', async () => {
    const { path, config } = await freshWarehouse('xlsx');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Käyttö');
    sheet.addRow(['Kuukausi', 'Kunta', 'Erikoisala', 'Palvelumuoto', 'Käynnit', 'Potilaat', 'Euroa']);
    sheet.addRow([new Date(Date.UTC(2021, 2, 1)), 72, '10', 'Avohoitokäynti', 15, 9, 1234.5]);
    sheet.addRow([new Date(Date.UTC(2021, 2, 1)), 564, '20', 'Päiväkirurgia', 7, 7, 8000]);
    sheet.addRow([]);
    sheet.addRow([new Date(Date.UTC(2021, 2, 1)), 564, '20', 'kotisairaala', 7, 7, 8000]);
    const xlsx = join(tmp.dir, 'kaytto_2021-03.xlsx');
    await book.xlsx.writeFile(xlsx);
    const gz = join(tmp.dir, 'kaytto_2020.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('monthly_fi_semicolon_bom.csv'))));
    const s = await importFiles(config, [xlsx, gz]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 7, rowsLoaded: 6, rowsRejected: 1 });
    const rows = await staging(path, `month = date '2021-03-01'`);
    expect(rows.map((r) => [r.municipality_code, r.service_type, num(r.visits), num(r.patients), num(r.cost_eur)])).toEqual([
      ['072', 'outpatient_visit', 15, 9, 1234.5],
      ['564', 'day_surgery', 7, 7, 8000],
    ]);
    // The worksheet's own row number (row 5: row 4 is empty).
    expect(await rejects(path, xlsx)).toEqual([
      { line: 5n, column_name: 'service_type', reason: expect.stringContaining('unknown service type'), raw_value: 'kotisairaala' },
    ]);
    expect((await staging(path, `source_name = 'kaytto_2020'`)).length).toBe(4);
  });
});

describe('more encodings', () => {
  it('reads UTF-16 with a BOM and a gzip-compressed Windows-1252 file with € (transcoded)', async () => {
    const { path, config } = await freshWarehouse('utf16');
    const utf16 = join(tmp.dir, 'utf16_2020.csv');
    const text = readFileSync(fixture('monthly_fi_semicolon_bom.csv'), 'utf8').replace(/^\uFEFF/, '');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const gz1252 = join(tmp.dir, 'events_1252.csv.gz');
    writeFileSync(gz1252, gzipSync(readFileSync(fixture('events_cp1252_euro.csv'))));
    const s = await importFiles(config, [utf16, gz1252]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 12, rowsLoaded: 10, rowsRejected: 2 });
    expect((await staging(path, `source_name = 'utf16_2020'`)).map((r) => num(r.cost_eur))).toEqual([4520, 612004.1, 245310.55, 98765.4]);
    expect((await rejects(path, gz1252)).map((r) => r.raw_value)).toEqual(['Hämeenlinna', 'etäkäynti – puhelin']);
  });
});

describe('defective files', () => {
  it('quarantines a truncated last line and a line with too many columns, with line numbers', async () => {
    const { path, config } = await freshWarehouse('defects');
    const truncated = fixture('defect_truncated.csv');
    const columns = fixture('defect_columns.csv');
    const s = await importFiles(config, [truncated, columns]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 6, rowsLoaded: 4, rowsRejected: 2 });
    expect(await rejects(path, truncated)).toEqual([
      { line: 4n, column_name: expect.any(String), reason: expect.stringContaining('MISSING COLUMNS'), raw_value: '2020-08;564;20;avohoito' },
    ]);
    expect(await rejects(path, columns)).toEqual([
      { line: 3n, column_name: null, reason: expect.stringContaining('TOO MANY COLUMNS'), raw_value: expect.stringContaining(';extra') },
    ]);
  });

  it('rejects unknown codes, negative and fractional counts, unknown service types and future months per line', async () => {
    const { path, config } = await freshWarehouse('codes');
    const file = fixture('defect_codes.csv');
    const s = await importFiles(config, [file]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 7, rowsLoaded: 1, rowsRejected: 6 });
    const r = await rejects(path, file);
    expect(r.map((x) => [Number(x.line), x.column_name, x.raw_value])).toEqual([
      [3, 'municipality_code', '999'],
      [4, 'visits', '-5'],
      [5, 'specialty_code', 'XX'],
      [6, 'service_type', 'kotikäynti'],
      [7, 'month', '2031-08'],
      [8, 'visits', '5,5'],
    ]);
    expect(r[1]?.reason).toBe('negative count');
    expect(r[0]?.reason).toBe('unknown municipality code in the Statistics Finland key of 2020');
    expect((await staging(path)).length).toBe(1);
  });

  it('fails clearly on a file that is not CSV, and leaves the previous data untouched (all files or none)', async () => {
    const { path, config } = await freshWarehouse('notcsv');
    await importFiles(config, [fixture('monthly_en_comma.csv')]);
    const before = await staging(path);
    for (const bad of ['not_csv.csv', 'not_an_extract.csv']) {
      const s = await importFiles(config, [fixture('monthly_fi_semicolon_bom.csv'), fixture(bad)]);
      expect(s.outcome).toBe('failed');
      expect(s.message).toContain(fixture(bad));
      expect(s.message).toMatch(/not a text file|not a service-use extract/);
    }
    expect(await staging(path)).toEqual(before);
    const loads = await withReadOnly(path, (c) => queryRows<Row>(c, 'select count(*) as n from ops.service_use_loads'));
    expect(Number(loads[0]?.n)).toBe(1);
  });

  it('quarantines an unreadable file in the drop folder and loads the others', async () => {
    const { path, config } = await freshWarehouse('drop');
    const drop = join(tmp.dir, 'drop');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(drop, { recursive: true });
    copyFileSync(fixture('not_csv.csv'), join(drop, 'a_broken.csv'));
    copyFileSync(fixture('monthly_en_comma.csv'), join(drop, 'b_good.csv'));
    writeFileSync(join(drop, 'README.md'), 'ignored');
    const cfg = { ...config, serviceUse: { ...config.serviceUse, dropDir: drop } };
    const [s] = await runJobs([serviceUseJob], { config: cfg, log: quiet });
    expect(s).toMatchObject({ outcome: 'success', rowsLoaded: 3, rowsRejected: 1 });
    expect(await rejects(path, join(drop, 'a_broken.csv'))).toEqual([
      { line: null, column_name: null, reason: expect.stringContaining('not a text file'), raw_value: null },
    ]);
    expect((await staging(path)).length).toBe(3);
  });
});

describe('idempotency and replacement', () => {
  it('skips a file with the same content, replaces the same source and period with a corrected file', async () => {
    const { path, config } = await freshWarehouse('replace');
    const first = join(tmp.dir, 'ppshp_2020.csv');
    copyFileSync(fixture('monthly_fi_semicolon_bom.csv'), first);
    await importFiles(config, [first]);
    const again = await importFiles(config, [first]);
    expect(again).toMatchObject({ outcome: 'success', rowsRead: 0, rowsLoaded: 0 });
    // The same content under another name is also a no-op.
    const copy = join(tmp.dir, 'copy_of_ppshp.csv');
    copyFileSync(first, copy);
    expect(await importFiles(config, [copy])).toMatchObject({ rowsLoaded: 0 });
    expect((await staging(path)).length).toBe(4);

    // A corrected file for the same source (ppshp_2020) and period: January's Oulu visits corrected, Hailuoto gone.
    const corrected = join(tmp.dir, 'ppshp_2020_v2.csv');
    const text = readFileSync(first, 'utf8').replace('1 204;0;0;830', '1 250;0;0;842').split('\r\n').filter((l) => !l.startsWith('2020-01;72;')).join('\r\n');
    writeFileSync(corrected, text);
    const s = await importFiles(config, [corrected]);
    expect(s).toMatchObject({ outcome: 'success', rowsLoaded: 3 });
    const rows = await staging(path);
    expect(rows.map((r) => [r.month, r.municipality_code, num(r.visits), r.source_file])).toEqual([
      ['2020-01', '564', 0, corrected],
      ['2020-01', '564', 1250, corrected],
      ['2020-02', '205', 640, corrected],
    ]);
    const loads = await withReadOnly(path, (c) =>
      queryRows<Row>(c, `select source_name, status, superseded_by is not null as replaced from ops.service_use_loads order by loaded_at`),
    );
    expect(loads).toEqual([
      { source_name: 'ppshp_2020', status: 'superseded', replaced: true },
      { source_name: 'ppshp_2020', status: 'loaded', replaced: false },
    ]);
  });

  it('keeps other sources and months when a file replaces its own period', async () => {
    const { path, config } = await freshWarehouse('sources');
    await importFiles(config, [fixture('monthly_en_comma.csv'), fixture('monthly_fi_semicolon_bom.csv')]);
    const changed = join(tmp.dir, 'monthly_en_comma_korjattu.csv');
    writeFileSync(changed, readFileSync(fixture('monthly_en_comma.csv'), 'utf8').replace(',310,', ',311,'));
    await importFiles(config, [changed]);
    const rows = await staging(path);
    expect(rows.length).toBe(7);
    expect(rows.filter((r) => r.source_name === 'monthly_en_comma').every((r) => r.source_file === changed)).toBe(true);
  });
});

describe('published marts', () => {
  it('builds marts.service_use_monthly with the contract columns, rates per 1 000, shares and suppression', async () => {
    const { path, config } = await freshWarehouse('published');
    await importFiles(config, [fixture('monthly_fi_semicolon_bom.csv'), fixture('monthly_en_comma.csv')]);
    await withWarehouse(path, async (conn) => {
      await transaction(conn, async () => {
        await conn.run(`create table marts.population_by_area as
          select 'municipality' as area_type, code as area_code, year, population
          from (values ('564', 2020, 200000), ('205', 2020, 37000), ('072', 2020, 950)) t(code, year, population)`);
        await conn.run(`create table marts.municipality_harmonisation as
          select code as municipality_code, code as harmonised_code, 2026 as boundary_year from (values ('564'), ('205'), ('072')) t(code)`);
        await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql'); // the names, as the marts job builds them from the key
        await runSqlFile(conn, 'staging/stg_config__organisations.sql'); // the organisation job has not run: no county names
        const r = await buildServiceUseMarts(conn, config.serviceUse, quiet, config.disclosure.suppressionThreshold);
        expect(r.built).toBe(true);
      });
    });
    await withReadOnly(path, async (conn) => {
      const cols = await queryRows<{ column_name: string; data_type: string }>(
        conn,
        `select column_name, data_type from information_schema.columns
         where table_schema = 'marts' and table_name = 'service_use_monthly' order by ordinal_position`,
      );
      expect(cols.slice(0, 10).map((c) => c.column_name)).toEqual([
        'month', 'municipality_code', 'specialty_code', 'service_type', 'visits', 'care_periods', 'bed_days', 'patients', 'cost_eur', 'is_suppressed',
      ]);
      expect(cols[0]?.data_type).toBe('DATE');
      const rows = await queryRows<Row>(
        conn,
        `select strftime(month, '%Y-%m') as m, municipality_code, specialty_code, service_type, visits, patients, cost_eur, is_suppressed,
                visits_per_1000, cost_eur_per_resident
         from marts.service_use_monthly order by all`,
      );
      const kajaani = rows.find((r) => r.m === '2020-02' && r.municipality_code === '205');
      expect(kajaani).toMatchObject({ is_suppressed: false, visits: 640n, patients: 210n });
      expect(Number(kajaani?.visits_per_1000)).toBeCloseTo((640 * 1000) / 37000, 3);
      expect(Number(kajaani?.cost_eur_per_resident)).toBeCloseTo(98765.4 / 37000, 2);
      // Hailuoto day surgery: 3 patients, withheld with everything derived from it.
      const hailuoto = rows.find((r) => r.municipality_code === '072');
      expect(hailuoto).toMatchObject({ is_suppressed: true, visits: null, patients: null, cost_eur: null, visits_per_1000: null, cost_eur_per_resident: null });
      // Unsuppressed numbers never reach a published schema.
      const published = await queryRows<{ n: bigint }>(
        conn,
        `select count(*) as n from marts.service_use_summary where patients between 1 and 4`,
      );
      expect(published[0]?.n).toBe(0n);
    });
  });
});

/** Builds the service-use marts with a fixed population and harmonisation (the marts job's inputs). */
async function buildMarts(path: string, config: ResolvedConfig): Promise<void> {
  await withWarehouse(path, async (conn) => {
    await transaction(conn, async () => {
      await conn.run(`create or replace table marts.population_by_area as
        select 'municipality' as area_type, code as area_code, year, population
        from (values ('564', 2020, 200000), ('205', 2020, 37000), ('072', 2020, 950)) t(code, year, population)`);
      await conn.run(`create or replace table marts.municipality_harmonisation as
        select code as municipality_code, code as harmonised_code, 2026 as boundary_year from (values ('564'), ('205'), ('072')) t(code)`);
      await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql'); // the names, as the marts job builds them from the key
      await runSqlFile(conn, 'staging/stg_config__organisations.sql'); // the organisation job has not run: no county names
      expect((await buildServiceUseMarts(conn, config.serviceUse, quiet, config.disclosure.suppressionThreshold)).built).toBe(true);
    });
  });
}

describe('the marts of an import: their own memory limit, their phases in the log', () => {
  it('builds the marts at service_use.duckdb.marts_memory_limit, sets memory_limit back for the next job, and logs each phase', async () => {
    const { path, config: base } = await freshWarehouse('marts-memory');
    await withWarehouse(path, (conn) =>
      transaction(conn, async () => {
        await conn.run(`create table marts.population_by_area as
          select 'municipality' as area_type, code as area_code, year, population
          from (values ('564', 2020, 200000), ('205', 2020, 37000), ('072', 2020, 950)) t(code, year, population)`);
        await runSqlFile(conn, 'intermediate/int_municipality__latest_names.sql');
        await runSqlFile(conn, 'staging/stg_config__organisations.sql');
      }),
    );
    const config = { ...base, serviceUse: { ...base.serviceUse, duckdb: { memoryLimit: '700MB', martsMemoryLimit: '300MB', threads: 1 } } };
    const limits: string[] = [];
    const probe: Job = { name: 'probe', description: 'reads the memory limit', dependsOn: [],
      async run(ctx) {
        limits.push(String((await ctx.conn.runAndReadAll(`select current_setting('memory_limit')`)).getRows()[0]?.[0]));
        return { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
      } };
    const lines: string[] = [];
    const summaries = await runJobs([serviceUseImportJob([fixture('monthly_fi_semicolon_bom.csv')]), probe], {
      config, log: createLogger((line) => lines.push(line)),
    });
    expect(summaries.map((s) => s.message ?? s.outcome)).toEqual(['success', 'success']);
    // After the import: the import's own limit again (700 MB = 667.5 MiB), not the marts' 300 MB (286.1 MiB).
    expect(limits).toEqual([expect.stringMatching(/^667\.\d MiB$/)]);
    const built = lines.find((l) => l.includes('service-use marts built'));
    for (const phase of ['cells', 'disclosure', 'mart_summary', 'mart_yearly']) expect(built).toMatch(new RegExp(`\\b${phase}_ms=\\d+`));
    const step = lines.find((l) => l.includes('service-use disclosure step'));
    for (const phase of ['org_cells', 'org_lines', 'choose', 'attack', 'interval']) expect(step).toMatch(new RegExp(`\\b${phase}_ms=\\d+`));
  });
});

describe('age groups', () => {
  const ageFixture = fixture('monthly_age.csv');

  it('loads an extract with an Ikäryhmä column: age in the staging grain, bad ages rejected with line and column', async () => {
    const { path, config } = await freshWarehouse('age');
    const s = await importFiles(config, [ageFixture]);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 13, rowsLoaded: 9, rowsRejected: 4 });
    const rows = await withReadOnly(path, (conn) =>
      queryRows<Row>(
        conn,
        `select strftime(month, '%Y-%m') as month, municipality_code, service_type, age_group, visits, care_periods, bed_days, patients,
                cost_eur, source_rows
         from staging.stg_service_use__monthly order by month, municipality_code, service_type, age_group nulls last`,
      ),
    );
    expect(rows.map((r) => [r.month, r.municipality_code, r.service_type, r.age_group, num(r.visits), num(r.care_periods), num(r.bed_days), num(r.patients), num(r.cost_eur), num(r.source_rows)])).toEqual([
      ['2020-01', '564', 'inpatient_period', '75-79', 0, 12, 60, 10, 48000, 1],
      ['2020-01', '564', 'inpatient_period', null, 0, 3, 9, 3, 12000, 1],
      ['2020-01', '564', 'outpatient_visit', '0-4', 15, 0, 0, 12, 3750, 2],
      ['2020-01', '564', 'outpatient_visit', '85+', 60, 0, 0, 45, 15000, 2],
      ['2020-02', '205', 'outpatient_visit', '15-19', 30, 0, 0, 20, 6000, 1],
      ['2020-02', '564', 'outpatient_visit', '0-4', 7, 0, 0, 6, 1750, 1],
      ['2020-02', '564', 'outpatient_visit', '45-49', 9, 0, 0, 9, 2250.5, 1],
    ]);
    const r = await rejects(path, ageFixture);
    expect(r.map((x) => [Number(x.line), x.column_name, x.raw_value])).toEqual([
      [11, 'age_group', '0-9'],
      [12, 'age_group', 'vanhus'],
      [13, 'age_group', '130'],
      [14, 'age_group', '80+'],
    ]);
    expect(r[0]?.reason).toContain('straddles the 5-year groups');
    expect(r[1]?.reason).toContain('not an age group');
  });

  it('takes the age in years of an event-level extract (Ikä) into its group; patients per age group', async () => {
    const { path, config } = await freshWarehouse('age-events');
    const file = join(tmp.dir, 'events_age.csv');
    writeFileSync(
      file,
      [
        'Tulopäivä;Kotikunta;Erikoisala;Palvelumuoto;Ikä;Potilastunniste;Kustannus',
        '3.5.2020;564;20;avohoitokäynti;34;p1;100,00',
        '4.5.2020;564;20;avohoitokäynti;33;p1;100,00',
        '5.5.2020;564;20;avohoitokäynti;31;p2;100,00',
        '6.5.2020;564;20;avohoitokäynti;87;p3;200,00',
        '7.5.2020;564;20;avohoitokäynti;;p4;50,00',
        '8.5.2020;564;20;avohoitokäynti;x;p5;50,00',
        '',
      ].join('\n'),
    );
    expect(await importFiles(config, [file])).toMatchObject({ outcome: 'success', rowsRead: 6, rowsLoaded: 5, rowsRejected: 1 });
    const rows = await withReadOnly(path, (conn) =>
      queryRows<Row>(conn, `select age_group, visits, patients, cost_eur from staging.stg_service_use__monthly order by age_group nulls last`),
    );
    expect(rows.map((r) => [r.age_group, num(r.visits), num(r.patients), num(r.cost_eur)])).toEqual([
      ['30-34', 3, 2, 300],
      ['85+', 1, 1, 200],
      [null, 1, 1, 50],
    ]);
    expect((await rejects(path, file)).map((x) => [Number(x.line), x.column_name, x.raw_value])).toEqual([[7, 'age_group', 'x']]);
  });

  it('imports an extract without age with NULL age groups, and upgrades an old staging table in place', async () => {
    const { path, config } = await freshWarehouse('age-upgrade');
    // A warehouse from before the age column, with one row loaded.
    await withWarehouse(path, async (conn) => {
      await conn.run(`create schema if not exists staging;
        create table staging.stg_service_use__monthly (month date not null, municipality_code varchar not null,
          specialty_code varchar not null, service_type varchar not null, visits bigint not null, care_periods bigint not null,
          bed_days bigint not null, patients bigint, cost_eur decimal(18,2), source_rows bigint not null,
          source_name varchar not null, source_file varchar not null, load_id varchar not null);
        insert into staging.stg_service_use__monthly values (date '2019-05-01', '564', '20', 'day_surgery', 8, 0, 0, 8, 900, 1, 'old', 'old.csv', 'old-load')`);
    });
    expect(await importFiles(config, [fixture('monthly_fi_semicolon_bom.csv'), ageFixture])).toMatchObject({ outcome: 'success', rowsLoaded: 13 });
    const rows = await withReadOnly(path, (conn) =>
      queryRows<Row>(conn, `select source_name, count(*) as n, count(age_group) as with_age from staging.stg_service_use__monthly group by all order by all`),
    );
    expect(rows.map((r) => [r.source_name, num(r.n), num(r.with_age)])).toEqual([
      ['monthly_age', 7, 6],
      ['monthly_fi_semicolon_bom', 4, 0],
      ['old', 1, 0],
    ]);
  });

  it('builds int_service_use__by_age and __yearly from the staging rows (hand sums of the fixture)', async () => {
    const { path, config } = await freshWarehouse('age-yearly');
    await importFiles(config, [ageFixture]);
    await buildMarts(path, config);
    await withReadOnly(path, async (conn) => {
      const byAge = await queryRows<Row>(conn, 'select * from intermediate.int_service_use__by_age order by all');
      expect(byAge.map((r) => [r.year, r.municipality_code, r.specialty_code, r.service_type, r.age_group, num(r.visits), num(r.care_periods), num(r.bed_days), num(r.cost_eur), r.months])).toEqual([
        [2020, '205', '70', 'outpatient_visit', '15-19', 30, 0, 0, 6000, 1],
        [2020, '564', '10', 'inpatient_period', '75-79', 0, 12, 60, 48000, 1],
        [2020, '564', '10', 'outpatient_visit', '0-4', 22, 0, 0, 5500, 2],
        [2020, '564', '10', 'outpatient_visit', '45-49', 9, 0, 0, 2250.5, 1],
        [2020, '564', '10', 'outpatient_visit', '85+', 60, 0, 0, 15000, 1],
      ]);
      const yearly = await queryRows<Row>(conn, 'select * from intermediate.int_service_use__yearly order by all');
      expect(yearly.map((r) => [r.year, r.municipality_code, r.specialty_code, r.service_type, num(r.visits), num(r.care_periods), num(r.bed_days), num(r.cost_eur), r.months, r.has_age])).toEqual([
        [2020, '205', '70', 'outpatient_visit', 30, 0, 0, 6000, 1, true],
        [2020, '564', '10', 'inpatient_period', 0, 15, 69, 60000, 1, false],
        [2020, '564', '10', 'outpatient_visit', 91, 0, 0, 22750.5, 2, false],
      ]);
    });
  });

  it('publishes the same service-use marts as the same data without age (age is summed away)', async () => {
    const withAge = await freshWarehouse('age-marts');
    const withoutAge = await freshWarehouse('noage-marts');
    // The fixture without its Ikäryhmä column and without the four lines rejected for their age; same source name.
    const lines = readFileSync(ageFixture, 'utf8').split('\r\n');
    const dir = join(tmp.dir, 'noage');
    mkdirSync(dir, { recursive: true });
    const noAge = join(dir, 'monthly_age.csv');
    writeFileSync(
      noAge,
      lines
        .filter((_, i) => i < 10 || i > 13)
        .map((l) => l.split(';').filter((_, k) => k !== 4).join(';'))
        .join('\r\n'),
    );
    expect(await importFiles(withAge.config, [ageFixture])).toMatchObject({ rowsLoaded: 9 });
    expect(await importFiles(withoutAge.config, [noAge])).toMatchObject({ rowsLoaded: 9, rowsRejected: 0 });
    await buildMarts(withAge.path, withAge.config);
    await buildMarts(withoutAge.path, withoutAge.config);
    await withReadOnly(withAge.path, async (conn) => {
      await conn.run(`attach ${`'${withoutAge.path.replace(/'/g, "''")}'`} as b (read_only)`);
      for (const table of ['intermediate.int_service_use__cells', 'marts.service_use_summary', 'marts.service_use_harmonised', 'marts.service_use_monthly']) {
        const [d] = await queryRows<{ n: bigint; rows: bigint }>(
          conn,
          `select (select count(*) from (select * from ${table} except all select * from b.${table}))
                + (select count(*) from (select * from b.${table} except all select * from ${table})) as n,
                  (select count(*) from ${table}) as rows`,
        );
        expect(num(d?.rows), table).toBeGreaterThan(0);
        expect(num(d?.n), table).toBe(0);
      }
    });
  });
});
