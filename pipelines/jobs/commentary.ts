import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importCommentaryFiles, isCommentaryFile } from '../commentary/import.js';
import { loadOrganisation } from '../regions/organisation.js';
import { loadRegistry } from '../scorecard/registry.js';
import type { Job } from './job.js';

/** `run commentary`: imports every new comment file (CSV, .xlsx) of the drop folder (docs/commentary.md). */
export const commentaryJob: Job = {
  name: 'commentary',
  description: 'comments per indicator/objective and period (drop folder) → staging.stg_commentary__comments',
  dependsOn: ['organisation'],
  async run(ctx) {
    const { dropDir } = ctx.config.commentary;
    if (!existsSync(dropDir)) ctx.log.warn('commentary drop folder does not exist', { dir: dropDir });
    const files = existsSync(dropDir)
      ? readdirSync(dropDir, { withFileTypes: true }).filter((e) => e.isFile() && isCommentaryFile(e.name)).map((e) => join(dropDir, e.name)).sort()
      : [];
    ctx.log.info('commentary drop folder', { dir: dropDir, files: files.length });
    const org = loadOrganisation(ctx.config.organisation.file);
    const orgIds = [...org.organisations, ...org.service_areas, ...org.units].map((o) => o.code);
    const indicatorIds = loadRegistry(ctx.config.scorecard.indicators).indicators.map((i) => i.id);
    const r = await importCommentaryFiles({ conn: ctx.conn, runId: ctx.runId, log: ctx.log, indicatorIds, orgIds }, files);
    return { rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsRejected: r.rowsRejected, quarantined: r.quarantined };
  },
};
