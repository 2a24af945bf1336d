import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputFileError } from '../csv.js';
import { loadAliases } from '../service-use/aliases.js';
import { type FileImportResult, importServiceUseFile, prepareServiceUseStaging, tableExists } from '../service-use/import.js';
import { failedFileKey, formatOf } from '../ingest/inspect.js';
import { buildServiceUseMarts } from '../service-use/marts.js';
import { querySqlFile, runSqlFile } from '../warehouse.js';
import type { Job, JobContext, JobResult } from './job.js';

/**
 * The extracts in a drop folder: .csv .txt .tsv (.gz) and .xlsx entries, by name. Hidden files, folders and other
 * names are ignored. Symbolic links (also dangling ones) and other non-regular entries are listed: the import
 * refuses them with a reject (inspect.ts), it never follows them.
 */
export function listDropFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('~$') && formatOf(e.name) !== null && !e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();
}


async function applyDuckdbSettings(ctx: JobContext, memoryLimit = ctx.config.serviceUse.duckdb.memoryLimit): Promise<void> {
  const { threads } = ctx.config.serviceUse.duckdb;
  await ctx.conn.run(`set memory_limit = '${memoryLimit.replace(/'/g, '')}'; set threads = ${Number(threads)}`);
}

/**
 * Imports files into the warehouse (inside the job's transaction), then rebuilds the service-use marts, unless the
 * `marts` job follows in the same run (`run all`, an import): it builds them once, after every source. `quarantine`: a file that cannot be read at all is recorded (ops.rejected_rows and a
 * 'failed' row in ops.service_use_loads) and the other files go on; without it the whole import fails.
 */
export async function importServiceUseFiles(
  ctx: JobContext,
  files: readonly string[],
  opts: { sourceName?: string; quarantine?: boolean } = {},
): Promise<JobResult & { files: FileImportResult[] }> {
  const { conn, config, log, runId } = ctx;
  await applyDuckdbSettings(ctx);
  await prepareServiceUseStaging(conn, config.serviceUse);
  const aliases = loadAliases(config.serviceUse.aliases);
  const results: FileImportResult[] = [];
  const quarantined: string[] = [];
  let rowsRead = 0;
  let rowsLoaded = 0;
  let rowsRejected = 0;
  for (const given of files) {
    const file = resolve(given);
    try {
      const r = await importServiceUseFile({ conn, runId, config: config.serviceUse, aliases, log }, file, { sourceName: opts.sourceName });
      results.push(r);
      rowsRead += r.rowsRead;
      rowsLoaded += r.rowsLoaded;
      rowsRejected += r.rowsRejected;
    } catch (e) {
      if (!(opts.quarantine && e instanceof InputFileError)) throw e;
      const hash = failedFileKey(file);
      const [seen] = await querySqlFile<{ n: bigint }>(conn, 'ingest/service_use/failed_file.sql', { hash });
      if (Number(seen?.n ?? 0) > 0) {
        log.warn('service-use file failed before and is unchanged, skipped', { file });
        continue;
      }
      log.error('service-use file quarantined', { file, error: e.message });
      quarantined.push(e.message);
      await runSqlFile(conn, 'ingest/rejected_rows.file.sql', { run_id: runId, source: 'service_use', file, line: e.line, column: e.field, reason: e.message });
      await runSqlFile(conn, 'ingest/service_use/service_use_loads.failed.sql', {
        run_id: runId,
        file,
        hash,
        bytes: hash.length === 64 ? lstatSync(file).size : 0,
        reason: e.message,
      });
      rowsRejected += 1;
    }
  }
  // Nothing new (every file unchanged): the marts are as they were; `run marts` rebuilds them anyway.
  const changed = results.some((r) => r.status === 'loaded');
  const martsFollow = ctx.runJobs?.includes('marts') ?? false;
  if (!martsFollow && (changed || !(await tableExists(conn, 'marts', 'service_use_summary')))) {
    // The marts at their own, lower limit (the disclosure step's problem lives in Node's heap), then back.
    await applyDuckdbSettings(ctx, config.serviceUse.duckdb.martsMemoryLimit);
    try {
      await buildServiceUseMarts(conn, config.serviceUse, log, config.disclosure.suppressionThreshold);
    } finally {
      await applyDuckdbSettings(ctx);
    }
  }
  return { rowsRead, rowsLoaded, rowsRejected, quarantined, files: results };
}

/** `run service-use`: imports every new extract in the configured drop folder. */
export const serviceUseJob: Job = {
  name: 'service-use',
  description: 'hospital-district service-use extracts (drop folder) → staging.stg_service_use__monthly, service-use marts',
  dependsOn: ['regions'],
  async run(ctx) {
    const dir = ctx.config.serviceUse.dropDir;
    const files = listDropFiles(dir);
    if (!existsSync(dir)) ctx.log.warn('service-use drop folder does not exist', { dir });
    else ctx.log.info('service-use drop folder', { dir, files: files.length });
    const { rowsRead, rowsLoaded, rowsRejected, quarantined } = await importServiceUseFiles(ctx, files, { quarantine: true });
    return { rowsRead, rowsLoaded, rowsRejected, quarantined };
  },
};

/** `import service-use <file...>`: the given files, all or nothing (one transaction; any unreadable file fails it). */
export function serviceUseImportJob(files: readonly string[], opts: { sourceName?: string } = {}): Job {
  return {
    name: 'service-use',
    description: `import ${files.length} service-use file(s)`,
    dependsOn: ['regions'],
    async run(ctx) {
      const { rowsRead, rowsLoaded, rowsRejected } = await importServiceUseFiles(ctx, files, { sourceName: opts.sourceName });
      return { rowsRead, rowsLoaded, rowsRejected };
    },
  };
}
