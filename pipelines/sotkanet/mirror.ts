/**
 * The offline mirror: Sotkanet's raw responses saved as files, so data can move into an air-gapped network and
 * tests and the demo can run with no network.
 *
 *   <dir>/mirror.json            manifest: source, base URL, time, which indicators are synthetic
 *   <dir>/regions.json           GET /regions
 *   <dir>/indicators/<id>.json   GET /indicators/<id>
 *   <dir>/data/<id>.csv          GET /csv?indicator=<id>&years=…&genders=…   (or data/<id>.json from GET /json)
 *
 * Every file is written to a temporary name and renamed into place, data before metadata, so a failed run never
 * leaves a half-written file or metadata that claims data it does not have.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { SotkanetClient } from './client.js';
import type { SotkanetIndicatorConfig } from '../settings/sotkanet.js';
import { checkDataCsv, checkDataJson, parseIndicatorMeta, parseManifest, parseRegions, type MirrorManifest } from './parse.js';

export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function mirrorPaths(dir: string, id?: number) {
  return {
    manifest: join(dir, 'mirror.json'),
    regions: join(dir, 'regions.json'),
    indicatorsDir: join(dir, 'indicators'),
    dataDir: join(dir, 'data'),
    indicator: id === undefined ? '' : join(dir, 'indicators', `${id}.json`),
    csv: id === undefined ? '' : join(dir, 'data', `${id}.csv`),
    json: id === undefined ? '' : join(dir, 'data', `${id}.json`),
  };
}

/** `data-updated` of an indicator already in a mirror directory (with its data file), if any. IO. */
export function mirroredDataUpdated(dir: string, id: number): string | null | undefined {
  const p = mirrorPaths(dir, id);
  if (!existsSync(p.indicator) || !(existsSync(p.csv) || existsSync(p.json))) return undefined;
  try {
    return parseIndicatorMeta(readFileSync(p.indicator, 'utf8'), id, p.indicator)['data-updated'] ?? null;
  } catch {
    return undefined;
  }
}

/** Data rows of an indicator already in a mirror directory (0 when it has none). IO. */
function mirroredRows(dir: string, id: number): number {
  const p = mirrorPaths(dir, id);
  try {
    if (existsSync(p.csv)) return checkDataCsv(readFileSync(p.csv, 'utf8'), id, p.csv);
    if (existsSync(p.json)) return checkDataJson(readFileSync(p.json, 'utf8'), id, p.json);
  } catch {
    // an unreadable earlier file holds nothing worth keeping
  }
  return 0;
}

export function readManifest(dir: string): MirrorManifest | undefined {
  const file = mirrorPaths(dir).manifest;
  if (!existsSync(file)) return undefined;
  return parseManifest(readFileSync(file, 'utf8'), file);
}

export interface MirrorOptions {
  format: 'csv' | 'json';
  indicators: readonly SotkanetIndicatorConfig[];
  /** Refetch data even when `data-updated` is unchanged. */
  force: boolean;
  /** The `data-updated` already held for an indicator (undefined: nothing held, so fetch). */
  previous: (id: number) => string | null | undefined;
  log?: Logger;
}

export interface MirrorResult {
  dir: string;
  /** Indicators whose data was fetched and written. */
  fetched: number[];
  /** Indicators skipped because their `data-updated` had not changed. */
  unchanged: number[];
  /** Indicators that answered with no data rows while the mirror holds rows for them: the mirror keeps those. */
  emptied: number[];
  requests: number;
}

/** Fetches regions, metadata and (changed) data into `dir`. Throws on the first failure, naming indicator and URL. */
export async function mirrorSotkanet(client: SotkanetClient, dir: string, opts: MirrorOptions): Promise<MirrorResult> {
  const paths = mirrorPaths(dir);
  mkdirSync(paths.indicatorsDir, { recursive: true });
  mkdirSync(paths.dataDir, { recursive: true });
  const previousManifest = readManifest(dir);

  const regions = await client.regions();
  parseRegions(regions.text, regions.url);
  writeFileAtomic(paths.regions, regions.text);

  const fetched: number[] = [];
  const unchanged: number[] = [];
  const emptied: number[] = [];
  for (const ind of opts.indicators) {
    const p = mirrorPaths(dir, ind.id);
    const meta = await client.indicator(ind.id);
    const parsed = parseIndicatorMeta(meta.text, ind.id, meta.url);
    const updated = parsed['data-updated'] ?? null;
    const before = opts.previous(ind.id);
    if (!opts.force && before !== undefined && updated !== null && before === updated) {
      unchanged.push(ind.id);
      opts.log?.info('sotkanet indicator unchanged', { indicator: ind.id, data_updated: updated });
      continue;
    }
    const data = await client.data(ind.id, opts.format, ind.years, ind.genders);
    const rows = opts.format === 'csv' ? checkDataCsv(data.text, ind.id, data.url) : checkDataJson(data.text, ind.id, data.url);
    if (rows === 0 && mirroredRows(dir, ind.id) > 0) {
      // An empty answer never replaces data: the mirror keeps the indicator's file and its data-updated.
      opts.log?.error('sotkanet indicator answered empty, the mirror keeps its data', { indicator: ind.id, url: data.url });
      emptied.push(ind.id);
      continue;
    }
    writeFileAtomic(opts.format === 'csv' ? p.csv : p.json, data.text);
    rmSync(opts.format === 'csv' ? p.json : p.csv, { force: true });
    writeFileAtomic(p.indicator, meta.text);
    fetched.push(ind.id);
    opts.log?.info('sotkanet indicator fetched', { indicator: ind.id, rows, data_updated: updated ?? '' });
  }

  const manifest: MirrorManifest = {
    source: 'THL / Sotkanet',
    base_url: client.url(''),
    created_at: new Date().toISOString(),
    synthetic_indicators: (previousManifest?.synthetic_indicators ?? []).filter((id) => !fetched.includes(id)),
  };
  writeFileAtomic(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, fetched, unchanged, emptied, requests: client.requests };
}
