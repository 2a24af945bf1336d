/**
 * Issue 13, defects 1, 3 and 8 replayed against real DuckDB files: no input value (a patient pseudonym, a system
 * file's line) and no secret leaves ops.rejected_rows; paths are literal wherever DuckDB reads a file.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsvToRaw } from '../../pipelines/csv.js';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { serviceUseImportJob, serviceUseJob } from '../../pipelines/jobs/service-use.js';
import { unitDataJob } from '../../pipelines/jobs/unit-data.js';
import { sotkanetImportJob } from '../../pipelines/jobs/sotkanet.js';
import { formatLine } from '../../pipelines/log.js';
import { createAlertSender } from '../../pipelines/ops/alerts.js';
import { fromRoot } from '../../pipelines/paths.js';
import { duckdbReason, redactSecrets } from '../../pipelines/safe-text.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { defaultUnitData } from '../../pipelines/settings/unit-data.js';
import { queryRows, withWarehouse } from '../../pipelines/warehouse.js';
import { withReadOnly } from '../helpers/tmp.js';
import { capturingLogger, type InputFixture, inputFixture, num, outgoingText, rejectsOf, runOne } from './input-helpers.js';

let fx: InputFixture;
beforeAll(async () => {
  fx = await inputFixture('tj-input-leaks-');
});
afterAll(() => fx.cleanup());

const PSEUDONYM = 'HETU-010203A123X';

describe('defect 1: patient ids never reach published data', () => {
  it('an event extract without its header line fails naming file and line 1, and its first row appears nowhere', async () => {
    const { path, config } = fx.fresh('headerless');
    const file = join(fx.dir, 'x.csv');
    writeFileSync(file, `2025-03-04;564;10;avo;${PSEUDONYM};120,00\n2025-03-05;564;10;avo;HETU-020304B234Y;130,00\n`);
    const { log, lines } = capturingLogger();
    const s = await runOne(config, serviceUseImportJob([file]), log);
    expect(s.outcome).toBe('failed');
    expect(s.message).toContain(`${file}, line 1`);
    expect(s.message).toMatch(/none of the 6 column\(s\) of line 1 is a recognised header name/);
    const out = await outgoingText(path, lines);
    expect(out).toContain('x.csv');
    expect(out).not.toContain('HETU');
    expect(out).not.toContain('2025-03-04');
  });

  it('a header with some recognised names but missing required ones lists the recognised names only', async () => {
    const { path, config } = fx.fresh('partial-header');
    const file = join(fx.dir, 'partial.csv');
    // A header line "repaired" by hand with a data value in it: the value must not be echoed.
    writeFileSync(file, `pvm;kunta;${PSEUDONYM};palvelumuoto\n2025-03-04;564;10;avo\n`);
    const { log, lines } = capturingLogger();
    const s = await runOne(config, serviceUseImportJob([file]), log);
    expect(s.outcome).toBe('failed');
    expect(s.message).toContain('missing column(s) specialty_code');
    expect(s.message).toContain('recognised: event_date, municipality_code, service_type; 1 other column(s)');
    expect(await outgoingText(path, lines)).not.toContain('HETU');
  });

  it('DuckDB errors lose the line they quote (Original Line, SQL echo, quoted values)', () => {
    const e = new Error(
      `Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 2025;${PSEUDONYM}\nExpected Number of Columns: 3 Found: 2\nPossible fixes:\n* Enable null padding\n  file = /x.csv`,
    );
    expect(duckdbReason(e)).toBe('Invalid Input Error: CSV Error on Line: 3; Expected Number of Columns: 3 Found: 2');
    expect(duckdbReason(new Error(`Conversion Error: Could not convert string '${PSEUDONYM}' to INT32\n\nLINE 1: select cast('${PSEUDONYM}'`))).toBe(
      'Conversion Error: Could not convert string … to INT32',
    );
  });

  it('symlinks (to a system file, dangling) and other non-regular entries in the drop folder are refused with a reject; good files load', async () => {
    const drop = join(fx.dir, 'drop-links');
    mkdirSync(drop);
    const secretFile = join(fx.dir, 'passwd');
    writeFileSync(secretFile, `root:x:0:0:${PSEUDONYM}:/root:/bin/bash\n`);
    symlinkSync(secretFile, join(drop, 'a_link.csv'));
    symlinkSync(join(fx.dir, 'no-such-file'), join(drop, 'b_dangling.csv'));
    mkdirSync(join(drop, 'c_folder.csv'));
    cpSync(fromRoot('test/fixtures/service-use/monthly_fi_semicolon_bom.csv'), join(drop, 'd_good.csv'));
    const { path, config } = fx.fresh('links', { serviceUse: { ...defaultServiceUse(), dropDir: drop } });
    const { log, lines } = capturingLogger();
    const s = await runOne(config, serviceUseJob, log);
    expect(s.outcome, s.message).toBe('success');
    expect(s).toMatchObject({ rowsLoaded: 4 });
    const rejects = await rejectsOf(path);
    expect(rejects.map((r) => [r.source_file, r.line, r.column_name, r.reason, r.raw_value])).toEqual([
      [join(drop, 'a_link.csv'), null, null, `${join(drop, 'a_link.csv')}: a symbolic link: refused, links are never followed (copy the file itself into the folder)`, null],
      [join(drop, 'b_dangling.csv'), null, null, `${join(drop, 'b_dangling.csv')}: a symbolic link: refused, links are never followed (copy the file itself into the folder)`, null],
    ]);
    expect(await outgoingText(path, lines)).not.toContain('root:x');
    // A second run does not record the same refused links again.
    await runOne(config, serviceUseJob, log);
    expect(await rejectsOf(path)).toHaveLength(2);
  });
});

describe('defect 1 in the unit-data drop folder', () => {
  it('two symlinks are two rejects (each named, neither followed) and the good file loads', async () => {
    const drop = join(fx.dir, 'unit-links');
    mkdirSync(drop);
    const secretFile = join(fx.dir, 'shadow');
    writeFileSync(secretFile, `root:${PSEUDONYM}:19000:0:99999:7:::\n`);
    symlinkSync(secretFile, join(drop, 'a_link.csv'));
    symlinkSync(join(fx.dir, 'missing.csv'), join(drop, 'b_dangling.csv'));
    cpSync(fromRoot('test/fixtures/scorecard/unit-data/good.csv'), join(drop, 'c_good.csv'));
    const { path, config } = fx.fresh('unit-links', { unitData: { ...defaultUnitData(), dropDir: drop } });
    const { log, lines } = capturingLogger();
    expect((await runOne(config, organisationJob, log)).outcome).toBe('success');
    const s = await runOne(config, unitDataJob, log);
    expect(s.outcome, s.message).toBe('success');
    expect(s.rowsLoaded).toBeGreaterThan(0);
    expect(s.quarantined).toHaveLength(2);
    const rejects = await rejectsOf(path, `source = 'unit_data'`);
    expect(rejects.map((r) => [r.source_file, r.reason])).toEqual([
      [join(drop, 'a_link.csv'), `${join(drop, 'a_link.csv')}: a symbolic link: refused, links are never followed (copy the file itself into the folder)`],
      [join(drop, 'b_dangling.csv'), `${join(drop, 'b_dangling.csv')}: a symbolic link: refused, links are never followed (copy the file itself into the folder)`],
    ]);
    expect(await outgoingText(path, lines)).not.toContain('HETU');
  });
});

/** A monthly extract with `visits` visits for Oulu in 2026-02. */
const oneCell = (visits: number) => `kuukausi;kunta;erikoisala;palvelumuoto;käynnit\n2026-02;564;10;avohoitokäynti;${visits}\n`;

async function visitsBySource(path: string): Promise<Record<string, number>> {
  return withReadOnly(path, async (conn) =>
    Object.fromEntries(
      (await queryRows<{ source_file: string; visits: bigint }>(conn, `select source_file, sum(visits) as visits from staging.stg_service_use__monthly group by all`)).map(
        (r) => [r.source_file, Number(r.visits)],
      ),
    ),
  );
}

describe('defect 3: paths are literal wherever DuckDB reads a file', () => {
  it('importing src_*.csv reads that file only, not src_other.csv beside it (1 000 visits, not 2 000)', async () => {
    const dir = join(fx.dir, 'glob');
    mkdirSync(dir);
    writeFileSync(join(dir, 'src_*.csv'), oneCell(1000));
    writeFileSync(join(dir, 'src_other.csv'), oneCell(1000));
    const { path, config } = fx.fresh('glob');
    const s = await runOne(config, serviceUseImportJob([join(dir, 'src_*.csv')]), capturingLogger().log);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: 1, rowsLoaded: 1 });
    expect(await visitsBySource(path)).toEqual({ [join(dir, 'src_*.csv')]: 1000 });
  });

  it('file and folder names with * ? [ ] { } \' " ; $( ) and spaces: each file is read once, as itself', async () => {
    const dir = join(fx.dir, 'odd [dir] {a,b} *');
    mkdirSync(dir);
    const names = ['a*.csv', 'a?.csv', 'a[1].csv', 'a{1,2}.csv', "a'q'.csv", 'a"d".csv', 'a;b.csv', 'a$(touch x).csv', 'a b.csv', 'a1.csv'];
    names.forEach((n, i) => writeFileSync(join(dir, n), oneCell(100 + i)));
    const { path, config } = fx.fresh('odd-names');
    const files = names.map((n) => join(dir, n));
    const s = await runOne(config, serviceUseImportJob(files), capturingLogger().log);
    expect(s).toMatchObject({ outcome: 'success', rowsRead: names.length, rowsLoaded: names.length });
    expect(await visitsBySource(path)).toEqual(Object.fromEntries(files.map((f, i) => [f, 100 + i])));
  });

  it('the unit-data/regions CSV reader and the Sotkanet mirror reader take paths literally', async () => {
    const dir = join(fx.dir, 'raw *');
    mkdirSync(dir);
    writeFileSync(join(dir, 'u*.csv'), 'a,b\n1,2\n');
    writeFileSync(join(dir, 'u_other.csv'), 'a,b\n3,4\n5,6\n');
    const { path, config } = fx.fresh('raw-readers');
    await withWarehouse(path, async (conn) => {
      expect(await loadCsvToRaw(conn, { table: 'glob_test', file: join(dir, 'u*.csv'), required: ['a', 'b'] })).toBe(1);
    });
    // A mirror in a folder whose name is a glob matching a sibling mirror with other data.
    const mirror = join(fx.dir, 'mirror[12]');
    cpSync(fromRoot('test/fixtures/sotkanet/mirror'), mirror, { recursive: true });
    cpSync(fromRoot('test/fixtures/sotkanet/mirror'), join(fx.dir, 'mirror1'), { recursive: true });
    writeFileSync(join(fx.dir, 'mirror1', 'data', '127.csv'), 'indicator;region;year;gender;primary value;absolute value\n');
    const s = await runOne(config, sotkanetImportJob(mirror), capturingLogger().log);
    expect(s.outcome, s.message).toBe('success');
    const rows = await withReadOnly(path, (conn) =>
      queryRows<{ n: bigint }>(conn, `select count(*) as n from raw.sotkanet_data where indicator_id = 127 and source_file = $f`, { f: join(mirror, 'data', '127.csv') }),
    );
    expect(num(rows[0]?.n)).toBeGreaterThan(0);
  });
});

describe('defect 8: secrets are redacted in every log line and message', () => {
  it('the alert URL and URL credentials never appear in a log line, a run message or an alert failure', async () => {
    const token = 'T0KEN-s3cr3t-abcdef';
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/webhook/${token}`;
    try {
      const { log, lines } = capturingLogger();
      const send = createAlertSender({ command: null, url, timeoutMs: 5000, onFailure: true, onSla: true }, log);
      await send({ kind: 'failure', job: 'marts', message: `fetch https://user:pa55word@example.org/x?token=${token}&a=1 failed` });
      expect(lines.join('\n')).toContain('alert not delivered');
      expect(lines.join('\n')).toContain('answered 500');
      expect(lines.join('\n')).not.toContain(token);
      expect(formatLine('error', `POST ${url} failed`, { url, other: `https://u:pa55word@h/p` })).not.toMatch(/T0KEN|pa55word/);
      expect(redactSecrets(`https://u:pa55word@h/p?api_key=k3y&x=1`)).toBe('https://[redacted]@h/p?api_key=[redacted]&x=1');
      // A run whose message holds a credential records it redacted.
      const { path, config } = fx.fresh('secrets');
      const s = await runOne(
        config,
        { name: 'leaky', description: 'fails with a URL', dependsOn: [], run: async () => Promise.reject(new Error(`GET ${url} and https://me:pa55word@example.org failed`)) },
        log,
      );
      expect(s.outcome).toBe('failed');
      const out = await outgoingText(path, lines);
      expect(out).toContain('GET [redacted] and https://[redacted]@example.org failed');
      expect(out).not.toMatch(/T0KEN|pa55word/);
    } finally {
      server.close();
    }
  });
});
