/**
 * Issue 13, smaller items: `rejects` answers to the job's name (`rejects service-use`, not only the source name
 * service_use), names the file and first line of each reason, prints times in the scheduler's time zone like status
 * and history, and never a rejected value. In-process command, real DuckDB warehouse.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUseJob } from '../../pipelines/jobs/service-use.js';
import { rejectsCommand } from '../../pipelines/ops/commands.js';
import { fromRoot } from '../../pipelines/paths.js';
import { defaultServiceUse } from '../../pipelines/settings/service-use.js';
import { capturingLogger, type InputFixture, inputFixture, runOne } from './input-helpers.js';

let fx: InputFixture;
beforeAll(async () => {
  fx = await inputFixture('tj-rejects-cmd-');
});
afterAll(() => fx.cleanup());

describe('rejects command', () => {
  it('rejects service-use (the job name) lists file, first line, column and reason in Helsinki time, no values', async () => {
    const drop = join(fx.dir, 'drop');
    mkdirSync(drop);
    copyFileSync(fromRoot('test/fixtures/service-use/defect_codes.csv'), join(drop, 'defect_codes.csv'));
    const { config } = fx.fresh('rejects', { serviceUse: { ...defaultServiceUse(), dropDir: drop } });
    const s = await runOne(config, serviceUseJob, capturingLogger().log);
    expect(s.rowsRejected).toBeGreaterThan(0);
    const run = async (source?: string) => {
      let text = '';
      await rejectsCommand({ jobs: [], log: capturingLogger().log, loadConfig: () => config, out: (t) => (text += t) }, source);
      return text;
    };
    const byJob = await run('service-use');
    expect(byJob).toBe(await run('service_use'));
    expect(byJob).toBe(await run());
    const [header, , ...lines] = byJob.trimEnd().split('\n');
    expect(header).toMatch(/^source\s+file\s+first line\s+column\s+reason\s+rows\s+last \(Europe\/Helsinki\)$/);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^service_use\s+defect_codes\.csv\s+\d+\s+/);
    // Helsinki wall-clock time of now (UTC+2 in winter, +3 in summer), not UTC.
    const helsinki = new Date().toLocaleString('sv-SE', { timeZone: 'Europe/Helsinki' }).slice(0, 13);
    expect(byJob).toContain(helsinki);
    expect(await run('unit-data')).toBe('No rejected rows for unit-data.\n');
  });
});
