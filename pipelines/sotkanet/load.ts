/**
 * Loads a Sotkanet mirror directory (see mirror.ts) into the warehouse: raw → staging. The same function serves
 * `import sotkanet <dir>` (offline), the demo mirror and the online job (which fetches into a temporary mirror
 * first), so every path goes through the same parser. Bulk rows go through DuckDB's readers.
 * Runs inside the caller's transaction: any error leaves the warehouse as it was.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../log.js';
import { literalPath, queryRows, querySqlFile, runSqlFile } from '../warehouse.js';
import { runSqlModels } from '../models/build.js';
import type { SotkanetIndicatorConfig } from '../settings/sotkanet.js';
import { mirrorPaths, readManifest } from './mirror.js';
import { checkDataCsv, checkDataJson, parseIndicatorMeta, parseRegions, SotkanetResponseError } from './parse.js';
import { duckdbReason } from '../safe-text.js';

export interface ImportResult {
  indicators: number[];
  /** Indicators that answered with no rows although the warehouse has rows for them: kept as they were. */
  emptied: number[];
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
}

/** Creates the raw Sotkanet tables when missing. */
export async function ensureSotkanetTables(conn: DuckDBConnection): Promise<void> {
  await runSqlModels(conn, ['regions', 'indicators', 'data', 'indicator_config'].map((t) => `raw/sotkanet_${t}.sql`));
}

/** Indicator ids present in a mirror directory (from indicators/*.json and data/*.{csv,json}). IO. */
export function mirrorIndicatorIds(dir: string): number[] {
  const p = mirrorPaths(dir);
  const ids = new Set<number>();
  for (const folder of [p.indicatorsDir, p.dataDir]) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder)) {
      const m = /^(\d+)\.(json|csv)$/.exec(name);
      if (m) ids.add(Number(m[1]));
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** Writes the configured indicator list (perspectives) into raw.sotkanet_indicator_config. */
export async function writeIndicatorConfig(conn: DuckDBConnection, indicators: readonly SotkanetIndicatorConfig[]): Promise<void> {
  await conn.run('delete from raw.sotkanet_indicator_config');
  for (const ind of indicators) {
    await conn.run(
      'insert into raw.sotkanet_indicator_config values ($id, $perspective, $genders, $years)',
      {
        id: ind.id,
        perspective: ind.perspective,
        genders: ind.genders.join(','),
        years: ind.years.length ? `${ind.years[0]}-${ind.years[ind.years.length - 1]}` : '',
      },
    );
  }
}

/**
 * Loads `dir` into raw.sotkanet_*: regions.json (when present) replaces the regions; each indicator in the
 * directory replaces that indicator's rows. Then records rejects and rebuilds staging. `only` limits the
 * indicators loaded (the online job passes what it fetched).
 */
export async function importSotkanetDir(
  conn: DuckDBConnection,
  dir: string,
  opts: { runId: string; indicators: readonly SotkanetIndicatorConfig[]; only?: readonly number[]; log?: Logger },
): Promise<ImportResult> {
  if (!existsSync(dir)) throw new SotkanetResponseError('mirror', dir, 'directory does not exist');
  await ensureSotkanetTables(conn);
  const paths = mirrorPaths(dir);
  const manifest = readManifest(dir);
  const synthetic = new Set(manifest?.synthetic_indicators ?? []);

  if (existsSync(paths.regions)) {
    parseRegions(readFileSync(paths.regions, 'utf8'), paths.regions);
    await conn.run('delete from raw.sotkanet_regions');
    await runSqlFile(conn, 'raw/sotkanet_regions.load.sql', { file: paths.regions, path: literalPath(paths.regions) });
  } else {
    const [row] = await queryRows<{ n: bigint }>(conn, 'select count(*) as n from raw.sotkanet_regions');
    if (!row || Number(row.n) === 0) {
      throw new SotkanetResponseError('regions', paths.regions, 'missing: a mirror needs regions.json (GET /regions) at least once');
    }
  }

  const ids = (opts.only ?? mirrorIndicatorIds(dir)).slice();
  const emptied: number[] = [];
  let rowsRead = 0;
  for (const id of ids) {
    const p = mirrorPaths(dir, id);
    if (!existsSync(p.indicator)) {
      throw new SotkanetResponseError(`indicator ${id}`, p.indicator, 'metadata file missing (needed for the producer and data-updated)');
    }
    const metaText = readFileSync(p.indicator, 'utf8');
    const meta = parseIndicatorMeta(metaText, id, p.indicator);
    const format = existsSync(p.csv) ? 'csv' : existsSync(p.json) ? 'json' : undefined;
    if (!format) throw new SotkanetResponseError(`indicator ${id}`, p.csv, `data file missing (data/${id}.csv or data/${id}.json)`);
    const file = format === 'csv' ? p.csv : p.json;
    const text = readFileSync(file, 'utf8');
    const rows = format === 'csv' ? checkDataCsv(text, id, file) : checkDataJson(text, id, file);
    if (rows === 0) {
      // An empty answer (HTTP 200 with the header only) for an indicator that had data is an error for that
      // indicator: its rows and its data-updated stay, so the next run fetches it again.
      const [held] = await querySqlFile<{ n: bigint }>(conn, 'ingest/sotkanet/held_rows.sql', { id });
      if (Number(held?.n ?? 0) > 0) {
        const reason = `no data rows for indicator ${id}, which has ${Number(held?.n)} rows: previous rows kept, data-updated not advanced`;
        opts.log?.error('sotkanet indicator answered empty, kept', { indicator: id, file, rows_kept: Number(held?.n) });
        await runSqlFile(conn, 'ingest/sotkanet/rejected_rows.sql', { run_id: opts.runId, file, reason });
        emptied.push(id);
        continue;
      }
    }

    await conn.run('delete from raw.sotkanet_data where indicator_id = $id', { id });
    try {
      await runSqlFile(conn, `raw/sotkanet_data.load_${format}.sql`, { file, path: literalPath(file), indicator_id: id, run_id: opts.runId });
    } catch (e) {
      throw new SotkanetResponseError(`indicator ${id}`, file, `DuckDB could not read the ${format.toUpperCase()}: ${duckdbReason(e)}`);
    }
    await runSqlFile(conn, 'ingest/sotkanet/sotkanet_indicators.sql', {
      id,
      title_fi: meta.title.fi,
      title_sv: meta.title.sv ?? null,
      title_en: meta.title.en ?? null,
      data_updated: meta['data-updated'] ?? null,
      range_start: meta.range?.start ?? null,
      range_end: meta.range?.end ?? null,
      value_type: meta.primaryValueType?.code ?? null,
      decimals: meta.decimals ?? null,
      producer_fi: meta.organization?.title.fi ?? null,
      producer_sv: meta.organization?.title.sv ?? null,
      producer_en: meta.organization?.title.en ?? null,
      is_synthetic: synthetic.has(id),
      metadata_json: metaText,
      source_file: p.indicator,
      run_id: opts.runId,
    });
    rowsRead += rows;
    opts.log?.info('sotkanet indicator loaded', { indicator: id, rows, format, synthetic: synthetic.has(id) });
  }

  await writeIndicatorConfig(conn, opts.indicators);
  const rejected = await buildSotkanetStaging(conn, opts.runId);
  return {
    indicators: ids.filter((id) => !emptied.includes(id)),
    emptied,
    rowsRead,
    rowsLoaded: rowsRead - rejected,
    rowsRejected: rejected + emptied.length,
  };
}

/** Records this run's rejects and rebuilds the Sotkanet staging tables. Returns the number of rejected rows. */
export async function buildSotkanetStaging(conn: DuckDBConnection, runId: string): Promise<number> {
  await runSqlFile(conn, 'staging/stg_sotkanet__regions.sql');
  await runSqlFile(conn, 'staging/sotkanet_data_problems.sql');
  await runSqlFile(conn, 'staging/stg_sotkanet__values.rejects.sql', { run_id: runId });
  await runSqlFile(conn, 'staging/stg_sotkanet__indicators.sql');
  await runSqlFile(conn, 'staging/stg_sotkanet__values.sql');
  await runSqlFile(conn, 'staging/stg_sotkanet__population.sql');
  await runSqlFile(conn, 'staging/municipal_counts.sql');
  const [row] = await querySqlFile<{ n: bigint }>(conn, 'ingest/sotkanet/rejected_count.sql', { run_id: runId });
  return Number(row?.n ?? 0);
}

/**
 * Removes indicators that are no longer configured (online mode: the configuration is the list to keep).
 * Returns the ids removed.
 */
export async function pruneUnconfigured(conn: DuckDBConnection, indicators: readonly SotkanetIndicatorConfig[]): Promise<number[]> {
  await ensureSotkanetTables(conn);
  const keep = indicators.map((i) => i.id);
  const rows = await queryRows<{ indicator_id: number }>(
    conn,
    `select distinct indicator_id from (
       select indicator_id from raw.sotkanet_indicators union all select indicator_id from raw.sotkanet_data
     ) where not list_contains($keep::integer[], indicator_id)`,
    { keep: `[${keep.join(',')}]` },
  );
  for (const { indicator_id: id } of rows) {
    await conn.run('delete from raw.sotkanet_data where indicator_id = $id', { id });
    await conn.run('delete from raw.sotkanet_indicators where indicator_id = $id', { id });
  }
  return rows.map((r) => r.indicator_id);
}

/** The `data-updated` held in the warehouse per indicator (for conditional refresh). */
export async function storedDataUpdated(conn: DuckDBConnection): Promise<Map<number, string | null>> {
  await ensureSotkanetTables(conn);
  const rows = await queryRows<{ indicator_id: number; data_updated: string | null }>(
    conn,
    'select indicator_id, data_updated from raw.sotkanet_indicators',
  );
  return new Map(rows.map((r) => [r.indicator_id, r.data_updated]));
}
