import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedConfig } from '../settings/pipeline.js';
import type { Logger } from '../log.js';
import type { ModelSelection } from '../models/build.js';

export interface JobContext {
  conn: DuckDBConnection;
  config: ResolvedConfig;
  log: Logger;
  runId: string;
  /** Aborted when the run times out or the scheduler shuts down; long jobs should stop early when it fires. */
  signal?: AbortSignal;
  /** Progress of a long import (rows done, and the total when known); shown on a terminal (pipelines/ops/progress.ts). */
  progress?: (rowsDone: number, rowsTotal?: number) => void;
  /** The jobs of this run, in order (e.g. a source skips building marts the `marts` job builds after it anyway). */
  runJobs?: readonly string[];
  /** Which models of the SQL graph the marts job builds (`run marts --select …`, `--rebuild`); default all, changed only. */
  models?: ModelSelection;
}

/** What a job reports: rows read from its input, rows it loaded, rows it rejected (with reasons in ops). */
export interface JobResult {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Whole input files the job quarantined (reason and location, never content): the refresh alerts about them. */
  quarantined?: string[];
}

/**
 * A pipeline job. The runner wraps `run` in one transaction, so a job that throws leaves the warehouse as it
 * was. Jobs are named after what they produce.
 */
export interface Job {
  name: string;
  description: string;
  /** Jobs that must have run first when several run together (`run all`). */
  dependsOn: string[];
  run(ctx: JobContext): Promise<JobResult>;
}
