/**
 * Commentary as data (docs/commentary.md) on a real DuckDB file: the demo comments through `run all` (one year of
 * Kainuu service use to stay fast), the newest version per key in marts.commentary with the history kept in staging,
 * a bad file's rejects (file, line, column, reason; never the comment's text) while the published comments stay, a
 * file without the required columns quarantined, and the authors' .xlsx template importing.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMENTARY_COLUMNS } from '../../pipelines/commentary/columns.js';
import { COMMENTARY_TEMPLATE } from '../../pipelines/commentary/template.js';
import { commentaryJob } from '../../pipelines/jobs/commentary.js';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { martsJob } from '../../pipelines/jobs/marts.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const log = createLogger(() => undefined);
let tmp: { dir: string; cleanup: () => void };
let db: string;
let drop: string;
let config: ResolvedConfig;
type Row = Record<string, unknown>;
const q = (sql: string, params?: Record<string, string>) => withReadOnly(db, (conn) => queryRows<Row>(conn, sql, params));
const PP = 'pohjois-pohjanmaan-hyvinvointialue';
/** Looks like a personal identity code: must never appear in a reject or a message. */
const SECRET = 'Potilas 010203-123X kommentissa';

async function run(jobs: Parameters<typeof runJobs>[0]) {
  const summaries = await runJobs(jobs, { config, log });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`jobs failed: ${JSON.stringify(failed)}`);
  return summaries;
}

beforeAll(async () => {
  tmp = tempDir('tj-commentary-');
  db = join(tmp.dir, 'w.duckdb');
  // Under a data/demo/ folder like the shipped demo comments, which the mart marks as example content.
  drop = join(tmp.dir, 'data/demo/commentary');
  const serviceUse = join(tmp.dir, 'service-use');
  mkdirSync(drop, { recursive: true });
  mkdirSync(serviceUse);
  for (const f of readdirSync(fromRoot('data/demo/commentary'))) copyFileSync(fromRoot(`data/demo/commentary/${f}`), join(drop, f));
  copyFileSync(fromRoot('data/demo/service-use/kainuu_2019.csv'), join(serviceUse, 'kainuu_2019.csv'));
  const base = testConfig(db);
  config = { ...base, serviceUse: { ...base.serviceUse, dropDir: serviceUse }, commentary: { dropDir: drop } };
  await run(selectJobs('all'));
}, 240_000);

afterAll(() => tmp?.cleanup());

describe('commentary', () => {
  it('shows the newest version per key and keeps every version in staging', async () => {
    const [counts] = await q(`select (select count(*) from staging.stg_commentary__comments) as history,
      (select count(*) from marts.commentary) as shown,
      (select count(*) from (select distinct subject_type, subject_id, org_id, period, kind, author_role from staging.stg_commentary__comments)) as keys`);
    expect(counts).toEqual({ history: 22n, shown: 21n, keys: 21n });
    const versions = await q(
      `select comment_text, comment_date::varchar as d from staging.stg_commentary__comments
       where subject_id = 'aged_75_at_home' and org_id = $org and period = '2024' and kind = 'analyysi' order by comment_date`,
      { org: PP },
    );
    expect(versions.map((v) => v.d)).toEqual(['2025-02-10', '2025-03-12']);
    const [shown] = await q(
      `select comment_text, versions, org_name_fi, subject_name_fi, kind_fi, comment_date_fi, is_demo from marts.commentary
       where subject_id = 'aged_75_at_home' and org_id = $org and period = '2024' and kind = 'analyysi'`,
      { org: PP },
    );
    expect(shown).toEqual({
      comment_text: versions[1]?.comment_text,
      versions: 2,
      org_name_fi: 'Pohjois-Pohjanmaan hyvinvointialue',
      subject_name_fi: 'Kotona asuvat 75 vuotta täyttäneet, %',
      kind_fi: 'Analyysi',
      comment_date_fi: '12.3.2025',
      is_demo: true,
    });
    // A comment on an objective is named by the objective's name from config/roadmap.yaml, not by its id.
    const [objective] = await q(
      `select subject_type, objective_id, indicator_id, subject_name_fi from marts.commentary where subject_type = 'objective' and org_id = $org`,
      { org: PP },
    );
    expect(objective).toEqual({
      subject_type: 'objective',
      objective_id: 'pph-kotona-asuminen',
      indicator_id: null,
      subject_name_fi: 'Ikääntyneet asuvat kotona pidempään',
    });
    // Both counties and some collaboration areas have comments for 2024, and other periods too.
    const orgs = await q(`select distinct org_id from marts.commentary where period = '2024' order by org_id`);
    expect(orgs.map((o) => o.org_id)).toEqual(expect.arrayContaining(['kainuun-hyvinvointialue', PP, 'lakeus', 'oulunkaari']));
    const [other] = await q(`select count(*) as n from marts.commentary where period <> '2024'`);
    expect(Number(other?.n)).toBeGreaterThan(0);
  });

  it('rejects bad rows naming file, line, column and reason (never the text), loads the good ones and keeps the published comments', async () => {
    const bad = join(drop, 'bad.csv');
    writeFileSync(
      bad,
      [
        COMMENTARY_COLUMNS.join(','),
        `aged_75_share,,${PP},2024,analyysi,controller,Ikääntyneiden osuus kasvaa.,2025-03-01`,
        `no_such_indicator,,${PP},2024,analyysi,controller,"${SECRET}",2025-03-01`,
        `mortality,,${PP},24,analyysi,controller,"${SECRET}",2025-03-01`,
        `mortality,,nowhere,2024,yhteenveto,controller,,2025-03-01`,
        `mortality,,${PP},2024,analyysi,controller,"${SECRET}",2099-01-01`,
        `mortality,some-objective,${PP},2024,analyysi,controller,"${SECRET}",1.3.2025`,
      ].join('\n') + '\n',
    );
    const noText = join(drop, 'no_text.csv');
    writeFileSync(noText, `indicator_id,objective_id,org_id,period,kind,author_role,date\nmortality,,${PP},2024,analyysi,controller,2025-03-01\n`);
    try {
      const [summary] = await run([commentaryJob, martsJob]);
      expect(summary?.quarantined).toEqual([`${noText}, line 1: missing column(s) text (the header line has 7 column(s))`]);
      const rejects = await q(
        `select source_file, line, column_name, reason, raw_value from ops.rejects where source = 'commentary' order by source_file, line, column_name`,
      );
      expect(rejects).toEqual([
        { source_file: bad, line: 3n, column_name: 'indicator_id', reason: 'not an indicator of the registry (config/indicators.yaml)', raw_value: 'no_such_indicator' },
        { source_file: bad, line: 4n, column_name: 'period', reason: 'not a period YYYY or YYYY-MM', raw_value: '24' },
        { source_file: bad, line: 5n, column_name: 'kind', reason: 'not one of analyysi, johtopäätös, kehittämishaaste, toimenpide', raw_value: 'yhteenveto' },
        { source_file: bad, line: 5n, column_name: 'org_id', reason: 'not an organisation of the organisation model (config/organisation.yaml) nor kunta-<code>', raw_value: 'nowhere' },
        { source_file: bad, line: 5n, column_name: 'text', reason: 'missing', raw_value: null },
        { source_file: bad, line: 6n, column_name: 'date', reason: 'in the future', raw_value: '2099-01-01' },
        { source_file: bad, line: 7n, column_name: 'objective_id', reason: 'give either indicator_id or objective_id, not both', raw_value: 'some-objective' },
        { source_file: noText, line: 1n, column_name: null, reason: `${noText}, line 1: missing column(s) text (the header line has 7 column(s))`, raw_value: null },
      ]);
      expect(rejects.map((r) => `${r.reason} ${r.raw_value}`).join('\n')).not.toContain('010203');
      const [after] = await q(`select count(*) as n, count(*) filter (where subject_id = 'aged_75_share') as added from marts.commentary`);
      expect(after).toEqual({ n: 22n, added: 1n });
    } finally {
      rmSync(bad);
      rmSync(noText);
    }
  }, 240_000);

  it('imports the authors\' template (docs/commentary-template.xlsx) with worksheet rows as lines', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(fromRoot(COMMENTARY_TEMPLATE));
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...COMMENTARY_COLUMNS]);
    sheet.getRow(2).values = ['mortality', null, 'kainuun-hyvinvointialue', '2024', 'johtopäätös', 'hyvinvointialuejohtaja', 'Kuolleisuus laskee.', new Date(Date.UTC(2025, 2, 5))];
    sheet.getRow(4).values = ['health_staff', null, 'kunta-205', '2024-05', 'toimenpide', 'controller', 'Rekrytointi käynnissä.', '6.6.2024'];
    const file = join(drop, 'template_filled.xlsx');
    await wb.xlsx.writeFile(file);
    try {
      await run([commentaryJob]);
      const rows = await q(
        `select subject_id, org_id, period, period_type, kind, source_line, comment_date::varchar as d from staging.stg_commentary__comments
         where source_file = $file order by source_line`,
        { file },
      );
      expect(rows).toEqual([
        { subject_id: 'mortality', org_id: 'kainuun-hyvinvointialue', period: '2024', period_type: 'year', kind: 'johtopäätös', source_line: 2n, d: '2025-03-05' },
        { subject_id: 'health_staff', org_id: 'kunta-205', period: '2024-05', period_type: 'month', kind: 'toimenpide', source_line: 4n, d: '2024-06-06' },
      ]);
    } finally {
      rmSync(file);
    }
  }, 120_000);
});
