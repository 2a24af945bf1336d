/**
 * Issue 13, smaller items of the data status: a single job run on a fresh warehouse (`run regions`) reports
 * success, not "failed" because the marts it does not build are missing; /tila never shows the marts job as running
 * forever (marts.data_status_runs is read after the refresh's runs ended). Real DuckDB files, the real refresh.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../pipelines/settings/pipeline.js';
import type { Job } from '../../pipelines/jobs/job.js';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import { refresh } from '../../pipelines/ops/refresh.js';
import { runJobs } from '../../pipelines/runner.js';
import { queryRows, runSqlFile } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';
import { capturingLogger } from './input-helpers.js';

const tmp = tempDir('tj-status-faults-');
afterAll(() => tmp.cleanup());

describe('data status', () => {
  it('run regions on a fresh warehouse succeeds (exit 0) and says why nothing is published yet; no alert', async () => {
    // The shipped operations settings: their publish checks name marts that `run regions` does not build.
    const config = testConfig(join(tmp.dir, 'fresh.duckdb'), { ops: loadConfig({}).ops });
    const alerts: string[] = [];
    const { log, lines } = capturingLogger();
    const r = await refresh({ jobs: [regionsJob], trigger: 'manual', label: 'run regions', rebuildSite: false }, config, {
      log,
      alert: async (a) => void alerts.push(a.message),
    });
    expect(r.outcome).toBe('success');
    expect(r.exitCode).toBe(0);
    expect(r.message).toMatch(/^nothing published yet: the warehouse has no marts\.\S+.* yet \(run `npm run pipeline -- run all` once\)$/);
    expect(alerts).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/ error /);
    const runs = await withReadOnly(config.warehousePath, (conn) => queryRows(conn, `select job, outcome from ops.runs order by started_at`));
    expect(runs).toEqual([
      { job: 'regions', outcome: 'success' },
      { job: 'publish', outcome: 'skipped' },
    ]);
  });

  it('the marts job that builds marts.data_status_runs shows its own run as finished, not running', async () => {
    const config = testConfig(join(tmp.dir, 'status.duckdb'));
    // The marts job's last step, on its own: build the data status marts inside the run.
    const marts: Job = {
      name: 'marts',
      description: 'data status marts',
      dependsOn: [],
      async run({ conn }) {
        await runSqlFile(conn, 'marts/data_status_runs.sql');
        return { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 };
      },
    };
    const [s] = await runJobs([marts], { config, log: capturingLogger().log });
    expect(s?.outcome).toBe('success');
    const rows = await withReadOnly(config.warehousePath, (conn) =>
      queryRows(conn, `select job, outcome, outcome_fi from marts.data_status_runs where recency = 1`),
    );
    expect(rows).toEqual([{ job: 'marts', outcome: 'success', outcome_fi: 'onnistui' }]);
  });
});
