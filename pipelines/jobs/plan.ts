import { existsSync } from 'node:fs';
import { importPlanFiles, type PlanSource } from '../plan/import.js';
import { buildPlanMarts } from '../plan/marts.js';
import type { Job, JobContext, JobResult } from './job.js';
import { listDropFiles } from './service-use.js';

/** Imports the files of each source, then rebuilds the plan marts unless the `marts` job follows in this run. */
async function importPlans(ctx: JobContext, bySource: [PlanSource, string[]][], quarantine: boolean): Promise<JobResult> {
  const total: JobResult & { quarantined: string[] } = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, quarantined: [] };
  for (const [source, files] of bySource) {
    const r = await importPlanFiles({ conn: ctx.conn, runId: ctx.runId, config: ctx.config, log: ctx.log }, source, files, { quarantine });
    total.rowsRead += r.rowsRead;
    total.rowsLoaded += r.rowsLoaded;
    total.rowsRejected += r.rowsRejected;
    total.quarantined.push(...r.quarantined);
  }
  if (!(ctx.runJobs?.includes('marts') ?? false)) await buildPlanMarts(ctx.conn);
  return total;
}

/** `run plan`: every new service-agreement and budget file in the two drop folders (docs/plan.md). */
export const planJob: Job = {
  name: 'plan',
  description: 'service agreements and budgets (drop folders) → staging.stg_plan__agreements / __budgets, plan marts',
  dependsOn: ['regions', 'organisation', 'service-use'],
  async run(ctx) {
    const { agreementsDropDir, budgetsDropDir } = ctx.config.plan;
    const bySource: [PlanSource, string[]][] = [
      ['agreements', listDropFiles(agreementsDropDir)],
      ['budgets', listDropFiles(budgetsDropDir)],
    ];
    for (const [source, dir] of [['agreements', agreementsDropDir], ['budgets', budgetsDropDir]] as const) {
      if (!existsSync(dir)) ctx.log.warn(`plan ${source} drop folder does not exist`, { dir });
    }
    return importPlans(ctx, bySource, true);
  },
};

/** `import plan-agreements|plan-budgets <file...>`: the given files, all or nothing (one transaction). */
export function planImportJob(source: PlanSource, files: readonly string[]): Job {
  return {
    name: 'plan',
    description: `import ${files.length} plan ${source} file(s)`,
    dependsOn: ['regions', 'organisation'],
    run: (ctx) => importPlans(ctx, [[source, [...files]]], false),
  };
}
