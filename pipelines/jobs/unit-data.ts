import { existsSync } from 'node:fs';
import { importUnitDataFiles } from '../unit-data/import.js';
import type { Job } from './job.js';
import { listDropFiles } from './service-use.js';

/** `run unit-data`: imports every new unit-data CSV in the configured drop folder (docs/scorecard.md, "Unit data"). */
export const unitDataJob: Job = {
  name: 'unit-data',
  description: 'units\' monthly data (drop folder) → staging.stg_unit_data__monthly',
  dependsOn: ['organisation'],
  async run(ctx) {
    const { dropDir, earliestMonth } = ctx.config.unitData;
    if (!existsSync(dropDir)) ctx.log.warn('unit-data drop folder does not exist', { dir: dropDir });
    const files = listDropFiles(dropDir).filter((f) => /\.csv(\.gz)?$/i.test(f));
    ctx.log.info('unit-data drop folder', { dir: dropDir, files: files.length });
    const r = await importUnitDataFiles({ conn: ctx.conn, runId: ctx.runId, log: ctx.log, earliestMonth }, files, { quarantine: true });
    return { rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsRejected: r.rowsRejected, quarantined: r.quarantined };
  },
};
