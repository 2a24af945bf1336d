import { importSotkanetDir } from '../sotkanet/load.js';
import { refreshOnline } from '../sotkanet/online.js';
import type { Job } from './job.js';

/**
 * THL Sotkanet area indicators, population (indicator 127) included: from the configured offline mirror
 * (default: the demo mirror data/demo/sotkanet) or, with `sotkanet.mode: online`, from the API.
 */
export const sotkanetJob: Job = {
  name: 'sotkanet',
  description:
    'THL Sotkanet indicators incl. population 127 (mirror dir or API) → staging.stg_sotkanet__values, stg_sotkanet__population',
  dependsOn: [],
  async run(ctx) {
    const { conn, config, log, runId } = ctx;
    // The runner's abort signal (run timeout, shutdown), when it provides one, stops requests and retries.
    const signal = (ctx as { signal?: AbortSignal }).signal;
    const cfg = config.sotkanet;
    if (cfg.mode === 'online') {
      const r = await refreshOnline(conn, cfg, { runId, log, signal });
      return { rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsRejected: r.rowsRejected };
    }
    const r = await importSotkanetDir(conn, cfg.mirrorDir, { runId, indicators: cfg.indicators, log });
    return { rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsRejected: r.rowsRejected };
  },
};

/** `import sotkanet <dir>`: the same loader on a mirror directory given on the command line. */
export function sotkanetImportJob(dir: string): Job {
  return {
    ...sotkanetJob,
    description: `Sotkanet mirror ${dir} → staging.stg_sotkanet__values`,
    async run({ conn, config, log, runId }) {
      const r = await importSotkanetDir(conn, dir, { runId, indicators: config.sotkanet.indicators, log });
      return { rowsRead: r.rowsRead, rowsLoaded: r.rowsLoaded, rowsRejected: r.rowsRejected };
    },
  };
}
