import { copyFileSync, cpSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { testConfig } from './tmp.js';

/** The extract named like a spreadsheet formula in the demo warehouse's drop folder (one bad row). */
export const FORMULA_FILE = '=HYPERLINK(1+1).csv';

/**
 * The demo warehouse: every job (`run all`) over the shipped demo inputs, the whole demo drop folder (copied under a
 * data/demo/ path, so the pages still call it demo data) plus FORMULA_FILE, whose one bad row's reject reaches /tila
 * and the table's CSV download (issue 13 defect 6). Built once per test run into the run's shared folder
 * (test/global-setup.ts) and copied to `target` for each file that needs it, so a file may change its copy.
 * Outside a run with that folder (a project without the global setup) it is built at `target`.
 */
export async function copyDemoWarehouse(target: string): Promise<void> {
  const shared = inject('sharedDir');
  const built = shared ? join(shared, 'demo.duckdb') : target;
  if (!existsSync(built)) {
    const dir = shared ?? mkdtempSync(join(tmpdir(), 'tj-demo-'));
    const dropDir = join(dir, 'data', 'demo', 'service-use');
    cpSync(fromRoot('data/demo/service-use'), dropDir, { recursive: true });
    writeFileSync(join(dropDir, FORMULA_FILE), 'Kuukausi;Kotikunta;Erikoisala;Palvelumuoto;Käynnit\n2025-01;9999;10;avohoitokäynti;1\n');
    // built under another name and renamed: a failed build leaves no half warehouse for the next file
    const building = join(dir, 'demo-building.duckdb');
    const config = testConfig(building, { serviceUse: { ...testConfig(building).serviceUse, dropDir } });
    const summaries = await runJobs(selectJobs('all'), { config, log: createLogger(() => {}) });
    expect(summaries.map((s) => `${s.job}:${s.outcome}`)).toEqual(summaries.map((s) => `${s.job}:success`));
    renameSync(building, built);
    if (!shared) rmSync(dir, { recursive: true, force: true });
  }
  if (built !== target) copyFileSync(built, target);
}
