/**
 * Kill test: an import of a large event-level extract is killed with SIGKILL midway (in a child process running
 * the real CLI); the warehouse reopens with the previous load complete and nothing of the killed one; a rerun succeeds.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import { serviceUseImportJob } from '../../pipelines/jobs/service-use.js';
import { createLogger } from '../../pipelines/log.js';
import { fromRoot, projectRoot } from '../../pipelines/paths.js';
import { runJobs } from '../../pipelines/runner.js';
import { writeEventExtract } from '../../pipelines/demo/service-use-extracts.js';
import { queryRows } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

const quiet = createLogger(() => undefined);
let tmp: { dir: string; cleanup: () => void };

beforeAll(() => {
  tmp = tempDir('tj-kill-');
});
afterAll(() => tmp.cleanup());

async function snapshot(path: string) {
  return withReadOnly(path, async (conn) => ({
    staging: await queryRows<Record<string, unknown>>(
      conn,
      `select month, municipality_code, specialty_code, service_type, visits, care_periods, bed_days, patients, cost_eur, source_file, load_id
       from staging.stg_service_use__monthly order by all`,
    ),
    loads: await queryRows<Record<string, unknown>>(conn, 'select load_id, source_file, status, rows_loaded from ops.service_use_loads order by loaded_at'),
  }));
}

it('SIGKILL during an import leaves the previous load whole and no partial rows; a rerun succeeds', async () => {
  const db = join(tmp.dir, 'warehouse.duckdb');
  const config = testConfig(db);
  const previous = fromRoot('test/fixtures/service-use/monthly_fi_semicolon_bom.csv');
  const runs = await runJobs([regionsJob, serviceUseImportJob([previous])], { config, log: quiet });
  expect(runs.map((r) => r.outcome)).toEqual(['success', 'success']);
  const before = await snapshot(db);
  expect(before.staging.length).toBe(4);

  const big = join(tmp.dir, 'events_big.csv');
  await writeEventExtract(big, 2_500_000, 7);

  // `node --import tsx` (not the tsx wrapper, which forks): the killed process is the one holding the database.
  const child = spawn(process.execPath, ['--import', 'tsx', 'pipelines/cli.ts', 'import', 'service-use', big], {
    cwd: projectRoot,
    env: { ...process.env, WAREHOUSE_PATH: db },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  // Kill once the job's transaction is under way and DuckDB is reading the file.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the import did not start: ${stderr}`)), 60_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('service-use drop folder') || stderr.includes('job started job=service-use')) {
        clearTimeout(timer);
        setTimeout(resolve, 700);
      }
    });
  });
  child.kill('SIGKILL');
  const { code, signal } = await exited;
  expect({ code, signal, finished: stderr.includes('job finished') }).toEqual({ code: null, signal: 'SIGKILL', finished: false });

  // Reopen: the previous load is all there, nothing of the killed import is.
  const after = await snapshot(db);
  expect(after).toEqual(before);

  // Rerun in this process: succeeds and adds the events.
  const [rerun] = await runJobs([serviceUseImportJob([big])], { config, log: quiet });
  expect(rerun).toMatchObject({ outcome: 'success', rowsRead: 2_500_000, rowsLoaded: 2_500_000, rowsRejected: 0 });
  const final = await snapshot(db);
  expect(final.staging.filter((r) => r.source_file === previous)).toEqual(before.staging);
  expect(final.loads.map((l) => [l.source_file, l.status])).toEqual([
    [previous, 'loaded'],
    [big, 'loaded'],
  ]);
}, 120_000);
