/**
 * Bad plan files (issue 19) through the real runner: a file with bad cells loads its good lines and rejects the rest
 * with file, line, column and reason, and no cell value reaches anything that leaves ops.rejected_rows; a file that
 * cannot be read (no header line) fails the run with a clear error, and the previous state stays.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationJob } from '../../pipelines/jobs/organisation.js';
import { planImportJob } from '../../pipelines/jobs/plan.js';
import { readPointer } from '../../pipelines/ops/publish.js';
import { refresh } from '../../pipelines/ops/refresh.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { withReadOnly } from '../helpers/tmp.js';
import { capturingLogger, type InputFixture, inputFixture, outgoingText, rejectsOf, runOne } from './input-helpers.js';

let fx: InputFixture;
beforeAll(async () => {
  fx = await inputFixture('tj-plan-inputs-');
});
afterAll(() => fx.cleanup());

const SECRET = 'HETU-010203A123X';
const K = 'kainuun-hyvinvointialue';

describe('bad plan files', () => {
  it('rejects bad cells with file, line, column and reason; no cell value leaves ops.rejected_rows; a headerless file fails whole', async () => {
    const { path, config } = fx.fresh('plan');
    const { log, lines } = capturingLogger();
    expect((await runOne(config, organisationJob, log)).outcome).toBe('success');
    const file = join(fx.dir, 'sopimus.csv');
    writeFileSync(
      file,
      [
        'Vuosi;Järjestäjä;Kunta;Erikoisala;Käynnit;Sopimus (€);Versio',
        `2025;${K};205;10;100;1 000,00;1`,
        `${SECRET};${K};205;20;100;1 000,00;1`,
        `2025;${SECRET};205;20;100;1 000,00;1`,
        `2025;${K};${SECRET};20;100;1 000,00;1`,
        `2025;${K};205;${SECRET};100;1 000,00;1`,
        `2025;${K};205;20;${SECRET};1 000,00;1`,
        `2025;${K};205;20;100;${SECRET};1`,
        `2025;${K};205;20;100;1 000,00;${SECRET}`,
      ].join('\n'),
    );
    const s = await runOne(config, planImportJob('agreements', [file]), log);
    expect(s.outcome).toBe('success');
    const rejects = await rejectsOf(path, `source = 'plan_agreements'`);
    expect(rejects.map((r) => `${r.line} ${r.column_name}: ${r.reason}`)).toEqual([
      '3 year: not a year 2000-2100',
      '4 organiser: not a wellbeing services county of the organisation model',
      '5 municipality_code: not a Statistics Finland municipality code nor an area of the organisation model',
      '6 specialty_code: not a code of the specialty list, a specialty group or ALL',
      '7 visits: not a whole number ≥ 0',
      '8 cost_eur: not a number of euros',
      '9 version: not a version number ≥ 1',
    ]);
    expect(rejects.every((r) => r.source_file === file && r.raw_value === null)).toBe(true);
    expect(await outgoingText(path, lines)).not.toContain(SECRET);

    // A file without its header line: line 1 is data (it may hold an id). The run fails naming the file and line 1,
    // never the line; the agreement loaded before stays.
    const before = await withReadOnly(path, (conn) => queryRows(conn, 'select * from staging.stg_plan__agreements order by all'));
    expect(before).toHaveLength(1);
    const headerless = join(fx.dir, 'ilman-otsikkoa.csv');
    writeFileSync(headerless, `2025;${SECRET};205;10;100;1000;2\n`);
    const failed = await runOne(config, planImportJob('agreements', [headerless]), log);
    expect(failed.outcome).toBe('failed');
    expect(failed.message).toContain(`${headerless}, line 1, field "year": missing column(s) year, organiser, version`);
    expect(failed.message).not.toContain(SECRET);
    expect(await withReadOnly(path, (conn) => queryRows(conn, 'select * from staging.stg_plan__agreements order by all'))).toEqual(before);
    expect(await outgoingText(path, lines)).not.toContain(SECRET);
  }, 120_000);

  it('a bad plan file fails its refresh and the published file stays the one before', async () => {
    const { config } = fx.fresh('plan-publish');
    const { log } = capturingLogger();
    const good = join(fx.dir, 'hyva.csv');
    writeFileSync(good, `year,organiser,cost_eur,version\n2025,${K},1000,1\n`);
    const ok = await refresh({ jobs: [organisationJob, planImportJob('agreements', [good])], trigger: 'manual', label: 'import plan-agreements', rebuildSite: false }, config, { log });
    expect(ok.outcome, ok.message).toBe('success');
    const before = readPointer(config.warehousePath);
    expect(before?.tables['marts.plan_forecast']).toBeGreaterThan(0);
    const bad = join(fx.dir, 'huono.csv');
    writeFileSync(bad, `vuosi,summa\n2025,5\n`);
    const failed = await refresh({ jobs: [planImportJob('agreements', [bad])], trigger: 'manual', label: 'import plan-agreements', rebuildSite: false }, config, { log });
    expect(failed.outcome).toBe('failed');
    expect(failed.exitCode).toBe(1);
    expect(failed.message).toContain(`${bad}, line 1, field "organiser": missing column(s) organiser, version`);
    // The marts published stay those of the good import (only the run history is synced into a new copy).
    const after = readPointer(config.warehousePath);
    expect({ batch: after?.batch_id, at: after?.published_at, tables: after?.tables }).toEqual({ batch: before?.batch_id, at: before?.published_at, tables: before?.tables });
  }, 120_000);
});
