/**
 * The hostile-file corpus (test/fixtures/hostile/, plus files generated here where they are large or need odd names):
 * every file goes through the scheduled drop-folder job on a real DuckDB warehouse, and either its good rows load and
 * every bad row has a reject with file, line, column and reason, or the file is rejected whole with that
 * information. Never a silent zero, never a leaked value, never a double count.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUseImportJob, serviceUseJob } from '../../pipelines/jobs/service-use.js';
import { type Alert, alertText } from '../../pipelines/ops/alerts.js';
import { refresh } from '../../pipelines/ops/refresh.js';
import { fromRoot } from '../../pipelines/paths.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { withReadOnly } from '../helpers/tmp.js';
import { capturingLogger, type InputFixture, inputFixture, num, outgoingText, rejectsOf, type Row, runOne } from './input-helpers.js';

let fx: InputFixture;
beforeAll(async () => {
  fx = await inputFixture('tj-hostile-');
});
afterAll(() => fx.cleanup());

interface Expected {
  /** Rows loaded into staging (source rows), and the staging totals that must hold. */
  loaded?: number;
  staging?: Row[];
  /** Rejects: [line, column, reason (substring)]. */
  rejects?: [number | null, string | null, string][];
  /** The file rejected whole: [line, column, reason (substring)]. */
  wholeFile?: [number | null, string | null, string];
  /** Text that must appear nowhere outside ops.rejected_rows.raw_value (besides the file). */
  secret?: string;
  loads?: Row;
}

const CORPUS: Record<string, Expected> = {
  'headerless_events.csv': {
    wholeFile: [1, null, 'none of the 6 column(s) of line 1 is a recognised header name'],
    secret: 'HETU',
  },
  'mixed_encoding.csv': {
    wholeFile: [3, null, 'mixed encodings: UTF-8 text with a byte that is not UTF-8 (0xE4) on this line'],
  },
  'cp1252_euro_header.csv': {
    loaded: 2,
    staging: [
      { municipality_code: '205', service_type: 'day_surgery', visits: 7, cost_eur: 999 },
      { municipality_code: '564', service_type: 'outpatient_visit', visits: 100, cost_eur: 12345.5 },
    ],
    rejects: [],
  },
  'no_visits_column.csv': {
    loaded: 1,
    staging: [{ municipality_code: '564', service_type: 'inpatient_period', visits: null, care_periods: 12, bed_days: 60, cost_eur: null }],
    rejects: [],
  },
  'utf16le_no_bom.csv': {
    loaded: 2,
    staging: [
      { municipality_code: '205', service_type: 'inpatient_period', visits: 0, care_periods: null, bed_days: 14 },
      { municipality_code: '564', service_type: 'outpatient_visit', visits: 100, care_periods: null, bed_days: 0 },
    ],
    rejects: [],
    loads: { file_format: 'csv utf-16le' },
  },
  // The file's only quote is the stray one: read again without quoting, so only its own line is a reject.
  'unterminated_quote.csv': {
    loaded: 3,
    staging: [
      { municipality_code: '205', visits: 8 },
      { municipality_code: '564', visits: 5 },
    ],
    rejects: [[3, 'specialty_code', 'not in the specialty code list']],
    loads: { rows_read: 4n, rows_loaded: 3n, rows_rejected: 1n },
  },
  // Other fields are quoted: the quoting stays, and the reject names the lines the stray quote ran over.
  'unterminated_quote_and_quoted_fields.csv': {
    loaded: 1,
    staging: [{ municipality_code: '564', visits: 1 }],
    rejects: [[3, 'specialty_code', 'UNQUOTED VALUE: Value with unterminated quote found.; it runs over the next 2 line(s), to line 5, which were not loaded']],
    loads: { rows_read: 4n, rows_loaded: 1n, rows_rejected: 3n },
  },
  'unknown_measure_column.csv': {
    loaded: 1,
    staging: [{ municipality_code: '564', service_type: 'outpatient_visit', visits: 100, cost_eur: null }],
    rejects: [],
    loads: { unrecognised_columns: 'Laskutettu summa | Lisätieto', measure_like_columns: 'Laskutettu summa' },
  },
};

async function stagingRows(path: string): Promise<Row[]> {
  return withReadOnly(path, async (conn) =>
    (
      await queryRows(
        conn,
        `select municipality_code, service_type, visits, care_periods, bed_days, cost_eur from staging.stg_service_use__monthly
         order by municipality_code, service_type`,
      )
    ).map((r) => ({ ...r, visits: num(r.visits), care_periods: num(r.care_periods), bed_days: num(r.bed_days), cost_eur: num(r.cost_eur) })),
  );
}

/** Runs the drop-folder job over a folder holding only `file`; checks the expectation. */
async function replay(name: string, source: string, e: Expected): Promise<void> {
  const drop = join(fx.dir, `drop-${Object.keys(CORPUS).indexOf(name)}-${name.replace(/[^a-z0-9]/gi, '_')}`);
  mkdirSync(drop, { recursive: true });
  const file = join(drop, name);
  copyFileSync(source, file);
  const { path, config } = fx.fresh(`w-${name.replace(/[^a-z0-9]/gi, '_')}`, { serviceUse: { ...defaultServiceUse(), dropDir: drop } });
  const { log, lines } = capturingLogger();
  const s = await runOne(config, serviceUseJob, log);
  expect(s.outcome, s.message).toBe('success');
  const rejects = await rejectsOf(path);
  for (const r of rejects) expect(r.source_file).toBe(file);
  if (e.wholeFile) {
    const [line, column, reason] = e.wholeFile;
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ line, column_name: column });
    expect(rejects[0]?.reason).toContain(reason);
    expect(await stagingRows(path)).toEqual([]);
    const [load] = await withReadOnly(path, (conn) => queryRows(conn, `select status, message from ops.service_use_loads`));
    expect(load?.status).toBe('failed');
  } else {
    expect(s.rowsLoaded).toBe(e.loaded);
    expect(rejects.map((r) => [r.line, r.column_name])).toEqual((e.rejects ?? []).map(([l, c]) => [l, c]));
    (e.rejects ?? []).forEach(([, , reason], i) => expect(rejects[i]?.reason).toContain(reason));
    const rows = await stagingRows(path);
    expect(rows).toHaveLength(e.staging?.length ?? 0);
    (e.staging ?? []).forEach((want, i) => expect(rows[i]).toMatchObject(want));
  }
  if (e.loads) {
    const [load] = await withReadOnly(path, (conn) => queryRows(conn, `select * from ops.service_use_loads`));
    expect(load).toMatchObject(e.loads);
  }
  if (e.secret) expect(await outgoingText(path, lines)).not.toContain(e.secret);
}

describe('hostile-file corpus (test/fixtures/hostile/)', () => {
  for (const [name, e] of Object.entries(CORPUS)) {
    it(`${name}: ${e.wholeFile ? `rejected whole at line ${e.wholeFile[0]}` : `${e.loaded} row(s) load, ${e.rejects?.length ?? 0} reject(s)`}`, async () => {
      await replay(name, fromRoot(`test/fixtures/hostile/${name}`), e);
    });
  }
});

const HEADER = 'Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Käynnit\n';
const GOOD = '2025-01;564;10;avohoitokäynti;1\n';

/** Corpus files generated here (large, or with names a checkout should not carry), with their expectations. */
const GENERATED: Record<string, { content: () => string | Buffer; expected: Expected }> = {
  'long_line_middle.csv': {
    content: () => `${HEADER}${GOOD.repeat(3)}2025-01;564;10;avohoitokäynti;${'9'.repeat(3_000_000)}\n${GOOD.repeat(2)}`,
    expected: { loaded: 5, staging: [{ visits: 5 }], rejects: [[5, null, 'LINE SIZE OVER MAXIMUM: Maximum line size of 2000000 bytes exceeded']] },
  },
  'long_last_line_no_break.csv': {
    content: () => `${HEADER}${GOOD.repeat(3)}2025-01;564;10;avohoitokäynti;${'9'.repeat(50_000_000)}`,
    expected: { loaded: 3, staging: [{ visits: 3 }], rejects: [[5, null, 'LINE SIZE OVER MAXIMUM: the last line (no line break at its end) has 50000031 bytes, more than 2000000: not read']] },
  },
};

describe('hostile-file corpus, generated files', () => {
  for (const [name, g] of Object.entries(GENERATED)) {
    it(`${name}: ${g.expected.loaded} row(s) load, ${g.expected.rejects?.length ?? 0} reject(s)`, async () => {
      const source = join(fx.dir, `generated-${name}`);
      writeFileSync(source, g.content());
      await replay(name, source, g.expected);
    });
  }

  it('defect 5: a drop folder with a long-line file and a good file: both are handled in one scheduled run, nothing blocks', async () => {
    const drop = join(fx.dir, 'drop-long-and-good');
    mkdirSync(drop);
    writeFileSync(join(drop, 'a_long.csv'), `${HEADER}2025-01;564;10;avohoitokäynti;${'9'.repeat(3_000_000)}\n${GOOD}`);
    copyFileSync(fromRoot('test/fixtures/service-use/monthly_fi_semicolon_bom.csv'), join(drop, 'b_good.csv'));
    const { path, config } = fx.fresh('long-and-good', { serviceUse: { ...defaultServiceUse(), dropDir: drop } });
    const s = await runOne(config, serviceUseJob, capturingLogger().log);
    expect(s).toMatchObject({ outcome: 'success', rowsLoaded: 5, rowsRejected: 1 });
    expect((await rejectsOf(path)).map((r) => [r.source_file, r.line])).toEqual([[join(drop, 'a_long.csv'), 2]]);
    const second = await runOne(config, serviceUseJob, capturingLogger().log);
    expect(second).toMatchObject({ outcome: 'success', rowsLoaded: 0, rowsRejected: 0 });
  });
});

describe('a quarantined file raises an alert', () => {
  it('the scheduled drop-folder job alerts with the file, line and reason of each quarantined file, never its content', async () => {
    const drop = join(fx.dir, 'drop-alert');
    mkdirSync(drop);
    copyFileSync(fromRoot('test/fixtures/hostile/headerless_events.csv'), join(drop, 'headerless_events.csv'));
    copyFileSync(fromRoot('test/fixtures/service-use/monthly_fi_semicolon_bom.csv'), join(drop, 'good.csv'));
    const { config } = fx.fresh('alert', { serviceUse: { ...defaultServiceUse(), dropDir: drop } });
    const alerts: Alert[] = [];
    const r = await refresh({ jobs: [serviceUseJob], trigger: 'schedule', label: 'schedule service-use', publish: false }, config, {
      log: capturingLogger().log,
      alert: async (a) => void alerts.push(a),
    });
    expect(r.outcome).toBe('success');
    expect(alerts).toEqual([
      expect.objectContaining({ kind: 'quarantine', job: 'service-use', message: expect.stringContaining(`${join(drop, 'headerless_events.csv')}, line 1: not a service-use extract`) }),
    ]);
    expect(alertText(alerts[0] as Alert)).not.toContain('HETU');
  });
});

describe('defect 2: decode once, correctly, per file', () => {
  it('a UTF-8 file with one Windows-1252 byte fails `import` naming the line of that byte, loading nothing', async () => {
    const { path, config } = fx.fresh('mixed-import');
    const s = await runOne(config, serviceUseImportJob([fromRoot('test/fixtures/hostile/mixed_encoding.csv')]), capturingLogger().log);
    expect(s.outcome).toBe('failed');
    expect(s.message).toContain('mixed_encoding.csv, line 3: mixed encodings');
    // All or nothing: the failed import left the warehouse as it was (not even the staging table was made).
    const [t] = await withReadOnly(path, (conn) => queryRows(conn, `select count(*) as n from duckdb_tables() where table_name = 'stg_service_use__monthly'`));
    expect(num(t?.n)).toBe(0);
  });

  it('the first bad byte deep in a large file (after the first 1 MB chunk) is located by line', async () => {
    const dir = join(fx.dir, 'mixed-large');
    mkdirSync(dir);
    const good = '2025-01;564;10;avohoitokäynti;1;0\n';
    const n = 60_000; // about 2 MB before the bad byte
    const file = join(dir, 'large.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Käynnit;Hoitopäivät\n${good.repeat(n)}`, 'utf8'),
        Buffer.from('2025-01;564;10;p\xe4iv\xe4kirurgia;5;0\n', 'latin1'),
        Buffer.from(good.repeat(10), 'utf8'),
      ]),
    );
    const { config } = fx.fresh('mixed-large');
    const s = await runOne(config, serviceUseImportJob([file]), capturingLogger().log);
    expect(s.outcome).toBe('failed');
    expect(s.message).toContain(`large.csv, line ${n + 2}: mixed encodings`);
  });

  it('a Windows-1252 file whose first 256 kB are plain ASCII (DuckDB starts it as UTF-8) is read again as Windows-1252: every row loads', async () => {
    const dir = join(fx.dir, 'late-1252');
    mkdirSync(dir);
    const good = '2025-01;564;10;avohoito;1;0\n';
    const n = 60_000; // about 1.7 MB of ASCII before the first byte that is not UTF-8
    const file = join(dir, 'late_1252.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Kaynnit;Hoitopaivat\n${good.repeat(n)}`, 'latin1'),
        Buffer.from('2025-01;564;10;p\xe4iv\xe4kirurgia;5;0\n', 'latin1'),
      ]),
    );
    const { path, config } = fx.fresh('late-1252');
    const { log, lines } = capturingLogger();
    const s = await runOne(config, serviceUseImportJob([file]), log);
    expect(s.outcome, s.message).toBe('success');
    expect(s.rowsLoaded).toBe(n + 1);
    expect(lines.join('\n')).toContain('not UTF-8 after its first 256 kB: read again');
    const rows = await stagingRows(path);
    expect(rows.find((r) => r.service_type === 'day_surgery')?.visits).toBe(5);
    const [load] = await withReadOnly(path, (conn) =>
      queryRows<{ file_format: string }>(conn, `select file_format from ops.service_use_loads where status = 'loaded'`),
    );
    expect(load?.file_format).toBe('csv windows-1252');
  });

  it('numbers with thousands separators (space, no-break space, narrow no-break space) and padded numbers load as numbers', async () => {
    const dir = join(fx.dir, 'spaced-numbers');
    mkdirSync(dir);
    const file = join(dir, 'spaced.csv');
    const rows = [
      ['564', '1 234', '1 000,50'],
      ['205', '2\u00a0345', '2\u00a0000'],
      ['698', '3\u202f456', '3\u202f000,25'],
      ['091', '7', '12,5'],
      ['105', ' 8 ', '  1,5  '],
    ];
    writeFileSync(file, `Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Käynnit;Kustannukset\n${rows.map(([m, v, e]) => `2025-01;${m};10;avohoito;${v};${e}`).join('\n')}\n`);
    const { path, config } = fx.fresh('spaced-numbers');
    const s = await runOne(config, serviceUseImportJob([file]), capturingLogger().log);
    expect(s.outcome, s.message).toBe('success');
    expect(s.rowsRejected).toBe(0);
    expect((await stagingRows(path)).map((r) => [r.municipality_code, r.visits, r.cost_eur])).toEqual([
      ['091', 7, 12.5], ['105', 8, 1.5], ['205', 2345, 2000], ['564', 1234, 1000.5], ['698', 3456, 3000.25],
    ]);
  });

  it('a Windows-1252 header `Kustannukset (€)` matches the cost alias: the euros load', async () => {
    const { path, config } = fx.fresh('euro-import');
    const s = await runOne(config, serviceUseImportJob([fromRoot('test/fixtures/hostile/cp1252_euro_header.csv')]), capturingLogger().log);
    expect(s.outcome, s.message).toBe('success');
    expect((await stagingRows(path)).map((r) => r.cost_eur)).toEqual([999, 12345.5]);
  });

  it('unrecognised columns are listed in the log, ops.service_use_loads and, when measure-like, as a warning on /tila', async () => {
    const { path, config } = fx.fresh('unknown-cols');
    const { log, lines } = capturingLogger();
    const s = await runOne(config, serviceUseImportJob([fromRoot('test/fixtures/hostile/unknown_measure_column.csv')]), log);
    expect(s.outcome, s.message).toBe('success');
    expect(lines.join('\n')).toMatch(/service-use file imported .*unrecognised_columns="Laskutettu summa \| Lisätieto"/);
    expect(lines.join('\n')).toMatch(/warn service-use file has unrecognised measure-like columns .*columns="Laskutettu summa"/);
    await outgoingText(path, []); // rebuilds the data status marts
    const warnings = await withReadOnly(path, (conn) => queryRows(conn, `select source, file_name, warning_fi from marts.data_status_warnings where warning_fi is not null`));
    expect(warnings).toEqual([
      {
        source: 'service_use',
        file_name: 'unknown_measure_column.csv',
        warning_fi:
          'Sarake Laskutettu summa näyttää mittarilta, mutta mikään alias ei tunnista sitä: sen arvot jätettiin lataamatta (lisää nimi tiedostoon config/service-use-aliases.yaml)',
      },
    ]);
  });
});
