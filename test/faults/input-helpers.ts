/**
 * Shared set-up of the input fault suites: a warehouse with the municipality key (copied per test), imports through
 * the real runner, and everything that leaves ops.rejected_rows (run messages, load messages, the published data
 * status marts, log lines), so a test can assert that no input value reached any of it.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ResolvedConfig } from '../../pipelines/settings/pipeline.js';
import type { Job } from '../../pipelines/jobs/job.js';
import { regionsJob } from '../../pipelines/jobs/regions.js';
import { createLogger, type Logger } from '../../pipelines/log.js';
import { runJobs, type RunSummary } from '../../pipelines/runner.js';
import { queryRows, runSqlFile, withWarehouse } from '../../pipelines/warehouse.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

export type Row = Record<string, unknown>;

export interface InputFixture {
  dir: string;
  cleanup(): void;
  /** A copy of the prepared warehouse (municipality key loaded) and a configuration pointing at it. */
  fresh(name: string, overrides?: Partial<ResolvedConfig>): { path: string; config: ResolvedConfig };
}

export async function inputFixture(prefix: string): Promise<InputFixture> {
  const tmp = tempDir(prefix);
  const base = join(tmp.dir, 'base.duckdb');
  const [s] = await runJobs([regionsJob], { config: testConfig(base), log: createLogger(() => undefined) });
  expect(s?.outcome).toBe('success');
  return {
    dir: tmp.dir,
    cleanup: tmp.cleanup,
    fresh(name, overrides = {}) {
      const path = join(tmp.dir, `${name}.duckdb`);
      copyFileSync(base, path);
      return { path, config: testConfig(path, overrides) };
    },
  };
}

/** A logger that keeps its lines. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger((l) => lines.push(l)), lines };
}

export async function runOne(config: ResolvedConfig, job: Job, log: Logger): Promise<RunSummary> {
  const summaries = await runJobs([job], { config, log });
  const last = summaries[summaries.length - 1];
  if (!last) throw new Error('no run summary');
  return last;
}

export async function rejectsOf(path: string, where = 'true'): Promise<Row[]> {
  return withReadOnly(path, (conn) =>
    queryRows(conn, `select source, source_file, cast(line as integer) as line, column_name, reason, raw_value from ops.rejects where ${where} order by source_file, line, column_name`),
  );
}

/**
 * Every text that leaves ops.rejected_rows, after the data status marts are rebuilt as a refresh does: ops.runs
 * messages, ops.service_use_loads messages, every column of the published data status marts with text from ops
 * (data_status_sources holds freshness only and needs the other marts), the rejects' reasons and columns, and the
 * given log lines.
 */
const STATUS_MARTS = ['data_status_runs', 'data_status_rejects', 'data_status_warnings'];
export async function outgoingText(path: string, logLines: readonly string[]): Promise<string> {
  return withWarehouse(path, async (conn) => {
    for (const mart of STATUS_MARTS) await runSqlFile(conn, `marts/${mart}.sql`);
    const parts: string[] = [...logLines];
    const texts = async (sql: string) => {
      for (const r of await queryRows<{ t: string | null }>(conn, sql)) if (r.t) parts.push(r.t);
    };
    await texts(`select message as t from ops.runs`);
    await texts(`select message as t from ops.service_use_loads`);
    await texts(`select concat_ws(' | ', reason, column_name, source_file) as t from ops.rejected_rows`);
    for (const mart of STATUS_MARTS) await texts(`select cast(to_json(m) as varchar) as t from marts.${mart} m`);
    return parts.join('\n');
  });
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
