import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectJobs } from '../../pipelines/jobs/index.js';
import { createLogger } from '../../pipelines/log.js';
import { runJobs } from '../../pipelines/runner.js';
import { BUILD_DIR, buildSite, serveSite, type RunningSite } from '../../pipelines/site.js';
import {
  chooseDropdown,
  hasChromium,
  launchChromium,
  NO_CHROMIUM_MESSAGE,
  plainSpaces,
  screenshot,
  watchPage,
} from '../helpers/browser.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** The latest population of an area, formatted as the page must show it (fi-FI, e.g. "416 543"). */
async function expectedPopulation(warehouse: string, areaId: string): Promise<{ text: string; year: number }> {
  return withReadOnly(warehouse, async (conn) => {
    const reader = await conn.runAndReadAll(
      `select population, year from marts.population_by_area
       where area_id = $1 and year = (select max(year) from marts.population_by_area)`,
      [areaId],
    );
    const [row] = reader.getRowObjectsJS() as { population: bigint; year: number }[];
    if (!row) throw new Error(`no population for ${areaId} in ${warehouse}`);
    return { text: new Intl.NumberFormat('fi-FI').format(Number(row.population)), year: row.year };
  });
}

describe.skipIf(!hasChromium)('population page in a real browser (built site, served on 127.0.0.1)', () => {
  const tmp = tempDir('tj-e2e-');
  const warehouse = join(tmp.dir, 'warehouse.duckdb');
  const log = createLogger(() => {});
  let site: RunningSite;
  let browser: Browser;

  beforeAll(async () => {
    const summaries = await runJobs(selectJobs('all'), { config: testConfig(warehouse), log });
    expect(summaries.map((s) => `${s.job}:${s.outcome}`)).toEqual(summaries.map((s) => `${s.job}:success`));
    await buildSite({ warehousePath: warehouse, log: createLogger() });
    site = await serveSite(BUILD_DIR, '127.0.0.1', 0);
    browser = await launchChromium();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    tmp.cleanup();
  });

  it('shows the warehouse population for the selected area, and follows the dropdown', async () => {
    const page = await browser.newPage();
    const watch = watchPage(page, site.url);
    await page.goto(new URL('vaesto', site.url).href, { waitUntil: 'networkidle' });

    const tile = page.getByTestId('population-tile-value');
    const county = await expectedPopulation(warehouse, 'wellbeing_county:19');
    await expect.poll(async () => plainSpaces(await tile.textContent()), { timeout: 15_000 }).toBe(plainSpaces(county.text));
    // Finnish format: the thousands separator is a space (no-break), never a comma.
    expect(await tile.textContent()).toMatch(/^\s*\d{1,3}([\u00a0\u202f ]\d{3})+\s*$/);
    await expect.poll(async () => page.getByTestId('population-tile').textContent()).toContain(`31.12.${county.year}`);
    await screenshot(page, 'population-page');

    await chooseDropdown(page, 'Alue', 'Kainuun hyvinvointialue (hyvinvointialue)');
    const kainuu = await expectedPopulation(warehouse, 'wellbeing_county:20');
    expect(kainuu.text).not.toBe(county.text);
    await expect.poll(async () => plainSpaces(await tile.textContent()), { timeout: 15_000 }).toBe(plainSpaces(kainuu.text));

    await chooseDropdown(page, 'Alue', 'Reisjärvi (kunta)');
    const reisjarvi = await expectedPopulation(warehouse, 'municipality:691');
    await expect.poll(async () => plainSpaces(await tile.textContent()), { timeout: 15_000 }).toBe(plainSpaces(reisjarvi.text));
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'population-page-filtered');

    expect(watch.outsideRequests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.failedRequests).toEqual([]);
    await page.close();
  });
});
