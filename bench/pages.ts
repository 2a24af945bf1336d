import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadConfig, type ResolvedConfig } from '../pipelines/settings/pipeline.js';
import { selectJobs } from '../pipelines/jobs/index.js';
import { createLogger } from '../pipelines/log.js';
import { fromRoot } from '../pipelines/paths.js';
import { runJobs } from '../pipelines/runner.js';
import { BUILD_DIR, buildSite, serveSite } from '../pipelines/site.js';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser.js';
import { withPeakChildRss } from './process-tree.js';

const quiet = createLogger(() => {});

export async function refreshInto(config: ResolvedConfig): Promise<void> {
  const summaries = await runJobs(selectJobs('all'), { config, log: quiet });
  const failed = summaries.filter((s) => s.outcome !== 'success');
  if (failed.length) throw new Error(`pipelines failed: ${failed.map((s) => `${s.job}: ${s.message}`).join('; ')}`);
}

/** Seconds of `evidence sources` + `evidence build:strict` for a warehouse, and the build's peak memory (MB). */
export async function measuredBuild(warehousePath: string): Promise<{ seconds: number; peakMb: number; atPeak: string }> {
  const { result: t, peakMb, atPeak } = await withPeakChildRss(() => buildSite({ warehousePath, log: quiet, fullBuild: true }));
  return {
    seconds: (t.sourcesMs + t.buildMs) / 1000,
    peakMb,
    atPeak: `sources ${(t.sourcesMs / 1000).toFixed(1)} s, build ${(t.buildMs / 1000).toFixed(1)} s; at the memory peak: ${atPeak.map((p) => `${p.command} ${p.mb} MB`).join(', ')}`,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** In headless chromium: navigation → first tile shows its number; dropdown change → tiles updated. */
async function pageTimings(print: (line: string) => void): Promise<void> {
  const site = await serveSite(BUILD_DIR, '127.0.0.1', 0);
  const browser = await launchChromium();
  try {
    const loads: number[] = [];
    const updates: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage();
      const started = Date.now();
      await page.goto(site.url, { waitUntil: 'commit' });
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=score-tile-value]')?.textContent ?? ''));
      loads.push(Date.now() - started);
      await page.locator('button[aria-label="Alue"]').waitFor({ state: 'visible' });
      for (const area of ['Kainuun hyvinvointialue (hyvinvointialue)', 'Pohjois-Pohjanmaan hyvinvointialue (hyvinvointialue)']) {
        await page.locator('button[aria-label="Alue"]').click();
        await page.locator('input[data-cmdk-input]').first().fill(area);
        const before = await page.locator('[data-testid=score-tile-value]').allTextContents();
        const option = page.locator('[role=option]', { hasText: area }).first();
        await option.waitFor();
        const clicked = Date.now();
        await option.click();
        await page.waitForFunction(
          (prev) => JSON.stringify(Array.from(document.querySelectorAll('[data-testid=score-tile-value]')).map((e) => e.textContent)) !== prev,
          JSON.stringify(before),
        );
        updates.push(Date.now() - clicked);
      }
      await page.close();
    }
    print(`page data: median ${median(loads)} ms of ${loads.join(', ')}; filter update: median ${median(updates)} ms of ${updates.join(', ')}`);
    print(`BENCH page_data_ms ${median(loads)}`);
    print(`BENCH filter_update_ms ${median(updates)}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

/** The page types of the demo site (one page of each kind). */
export async function pageTypes(warehousePath: string): Promise<[string, string][]> {
  const instance = await DuckDBInstance.create(warehousePath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  const first = async (sql: string) => String((await conn.runAndReadAll(sql)).getRows()[0]?.[0] ?? '');
  const unit = await first('select min(unit_code) from marts.unit_data_monthly');
  const indicator = await first('select min(indicator_id) from marts.indicator_dictionary');
  const area = await first(`select min(organisation_code) from marts.organisations where organisation_type = 'wellbeing_county'`);
  conn.closeSync();
  instance.closeSync();
  return [
    ['strategic', '/'],
    ['implementation', '/toteutus'],
    ['units', '/yksikot'],
    ['unit', `/yksikot/${unit}`],
    ['area', `/alueet/${area}`],
    ['indicator', `/indikaattorit/${indicator}`],
    ['foresight', '/ennakointi'],
    ['scenarios', '/ennakointi/skenaariot'],
    ['data-status', '/tila'],
    ['population', '/vaesto'],
  ];
}

/**
 * Bytes the site's server has written to its sockets (headers and bodies as sent, after compression), counted on
 * the server, so that requests of the page's workers (duckdb-wasm runs in one) are counted too and what the
 * browser's cache serves counts 0.
 */
function wireCounter(server: Server): () => number {
  const open = new Set<Socket>();
  let closed = 0;
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      closed += socket.bytesWritten;
      open.delete(socket);
    });
  });
  return () => closed + [...open].reduce((sum, s) => sum + s.bytesWritten, 0);
}

/** The bytes a page load sends: navigation until the heading shows and then no byte for three seconds. */
async function transferredBytes(page: Page, url: string, sent: () => number): Promise<number> {
  const before = sent();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('h1').first().waitFor({ state: 'visible' });
  let last = sent();
  let quietSince = Date.now();
  while (Date.now() - quietSince < 3_000) {
    await new Promise((r) => setTimeout(r, 200));
    const now = sent();
    if (now !== last) [last, quietSince] = [now, Date.now()];
  }
  await page.close();
  return last - before;
}

/** Shown to the user as a number: a tile's value, a table cell or a big value with a digit in it. */
export const NUMBER_SHOWN = '[data-testid$="-value"], td, .big-value';

/**
 * `page_data_ms_max`: for each page type, navigation (cold cache, a fresh browser context) until the page shows its
 * first number; the median of five loads per type, the slowest type reported.
 */
export async function pageDataTimes(pages: [string, string][], print: (line: string) => void, buildDir = BUILD_DIR): Promise<void> {
  const site = await serveSite(buildDir, '127.0.0.1', 0);
  const browser = await launchChromium();
  try {
    const medians: [string, number][] = [];
    for (const [name, path] of pages) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const started = Date.now();
        await page.goto(new URL(path.slice(1), site.url).href, { waitUntil: 'commit' });
        await page.waitForFunction(
          (selector) => Array.from(document.querySelectorAll(selector)).some((e) => /\d/.test(e.textContent ?? '')),
          NUMBER_SHOWN,
          { timeout: 60_000 },
        );
        times.push(Date.now() - started);
        await context.close();
      }
      medians.push([name, median(times)]);
    }
    print(`first number shown (median of 5, cold cache): ${medians.map(([n, ms]) => `${n} ${ms} ms`).join(', ')}`);
    print(`BENCH page_data_ms_max ${Math.max(...medians.map(([, ms]) => ms))}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

/**
 * The app's shared assets into a browser context's HTTP cache: every content-hashed file under `/_app/immutable/`
 * (code, styles, the query engine's and the parquet decoder's wasm), which the server marks cacheable for a year and
 * which are the same for every page. Page HTML, prerendered query results and data files are not shared assets.
 */
async function cacheSharedAssets(page: Page, siteUrl: string, buildDir: string): Promise<void> {
  const root = join(buildDir, '_app', 'immutable');
  const assets = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => !/\.(br|gz)$/.test(f) && statSync(join(root, f)).isFile())
    .map((f) => `/_app/immutable/${f.split(sep).join('/')}`);
  await page.goto(siteUrl, { waitUntil: 'domcontentloaded' });
  await page.evaluate(async (urls) => {
    for (const url of urls) await (await fetch(url)).arrayBuffer();
  }, assets);
  await page.close();
}

/** `first_load_kb`: the front page on a cold cache; `page_bytes_max_kb`: the heaviest page type once the app's shared assets are cached. */
export async function pageWeights(pages: [string, string][], print: (line: string) => void, buildDir = BUILD_DIR, prefix = ''): Promise<void> {
  const site = await serveSite(buildDir, '127.0.0.1', 0);
  const sent = wireCounter(site.server);
  const browser = await launchChromium();
  try {
    const cold = await browser.newContext();
    const first = await transferredBytes(await cold.newPage(), site.url, sent);
    await cold.close();
    const weights: string[] = [];
    let max = 0;
    for (const [name, path] of pages) {
      const warm = await browser.newContext();
      await cacheSharedAssets(await warm.newPage(), site.url, buildDir);
      const bytes = await transferredBytes(await warm.newPage(), new URL(path.slice(1), site.url).href, sent);
      await warm.close();
      weights.push(`${name} ${Math.round(bytes / 1024)} kB`);
      max = Math.max(max, bytes);
    }
    print(`page weight (bytes sent by the server), shared assets cached: ${weights.join(', ')}`);
    print(`BENCH ${prefix}first_load_kb ${Math.round(first / 1024)}`);
    print(`BENCH ${prefix}page_bytes_max_kb ${Math.round(max / 1024)}`);
  } finally {
    await browser.close();
    await site.close();
  }
}

/**
 * `npm run bench -- site [<build dir>]`: page data times and page weights of a site already built (by `npm start`, the
 * e2e or `pipeline build`) against the configured warehouse, without a new build: for before/after comparisons of
 * page changes on the same machine state.
 */
export async function runSiteBench(warehousePath: string, print: (line: string) => void, buildDir = BUILD_DIR): Promise<void> {
  const types = await pageTypes(warehousePath);
  await pageDataTimes(types, print, buildDir);
  await pageWeights(types, print, buildDir);
}

/** A configuration with every demo unit repeated `factor` times (new codes, the same monthly data). */
async function multipliedUnits(dir: string, base: ResolvedConfig, factor: number): Promise<ResolvedConfig> {
  const orgFile = fromRoot('config/organisation.yaml');
  const org = parseYaml(readFileSync(orgFile, 'utf8')) as { units: { code: string; name_fi: string }[] };
  const units = org.units;
  org.units = units.flatMap((u) => Array.from({ length: factor }, (_, k) => (k === 0 ? u : { ...u, code: `${u.code}-${k + 1}`, name_fi: `${u.name_fi} ${k + 1}` })));
  const orgOut = join(dir, 'organisation.yaml');
  writeFileSync(orgOut, stringifyYaml(org));
  const dropIn = fromRoot('data/demo/unit-data');
  const dropOut = join(dir, 'unit-data');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`create table copies as select case when k = 1 then '' else '-' || k end as suffix from range(1, ${factor + 1}) t(k)`);
  for (const file of readdirSync(dropIn).filter((f) => f.endsWith('.csv'))) {
    await conn.run(
      `copy (select d.* replace (d.unit_code || c.suffix as unit_code)
             from read_csv($src, all_varchar = true) d cross join copies c) to $dst (header, delimiter ',')`,
      { src: join(dropIn, file), dst: join(dropOut, file) },
    );
  }
  conn.closeSync();
  instance.closeSync();
  return { ...base, organisation: { ...base.organisation, file: orgOut }, unitData: { ...base.unitData, dropDir: dropOut } };
}

type MeasuredBuild = Awaited<ReturnType<typeof measuredBuild>>;
let demoBuilt: (MeasuredBuild & { warehousePath: string }) | undefined;

/**
 * The demo refreshed into `dir` and built (./build), measured; once per run: the scale bench compares with the pages
 * bench's demo build when both run.
 */
export async function demoBuild(dir: string, config: ResolvedConfig): Promise<MeasuredBuild & { warehousePath: string }> {
  if (demoBuilt) return demoBuilt;
  const demo = { ...config, warehousePath: join(dir, 'demo', 'warehouse.duckdb') };
  await refreshInto(demo);
  demoBuilt = { warehousePath: demo.warehousePath, ...(await measuredBuild(demo.warehousePath)) };
  return demoBuilt;
}

export async function runPagesBench(dir: string, print: (line: string) => void, config: ResolvedConfig = loadConfig()): Promise<void> {
  const demo = await demoBuild(dir, config);
  print(`demo build: ${demo.atPeak}`);
  print(`BENCH build_s_demo ${demo.seconds.toFixed(1)}`);
  // The summed resident set of the build's processes (Evidence CLI, Vite and workers), sampled every 250 ms.
  print(`BENCH build_peak_rss_mb ${demo.peakMb}`);
  await pageTimings(print);
  const types = await pageTypes(demo.warehousePath);
  await pageDataTimes(types, print);
  await pageWeights(types, print);

  mkdirSync(join(dir, 'x10', 'unit-data'), { recursive: true });
  const x10 = await multipliedUnits(join(dir, 'x10'), { ...config, warehousePath: join(dir, 'x10', 'warehouse.duckdb') }, 10);
  await refreshInto(x10);
  const x10Build = await measuredBuild(x10.warehousePath);
  print(`BENCH build_s_10x_units ${x10Build.seconds.toFixed(1)}`);
}
