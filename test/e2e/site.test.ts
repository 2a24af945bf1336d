import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS module shared with the Svelte components
import { formatNumberFi } from '../../components/fi-format.js';
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
  type PageWatch,
} from '../helpers/browser.js';
import { tempDir, testConfig, withReadOnly } from '../helpers/tmp.js';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const PP = 'pohjois-pohjanmaan-hyvinvointialue';
const KAINUU = 'kainuun-hyvinvointialue';
const DEFAULT_YEAR = 2022; // the front page's default year (reports/index.md)

type Row = Record<string, unknown>;

/**
 * One build of the whole site for every browser test (an Evidence build takes minutes): the demo pipelines into a
 * temporary warehouse, `evidence sources` + `evidence build:strict`, served on 127.0.0.1.
 */
describe.skipIf(!hasChromium)('the dashboards in a real browser (built site, served on 127.0.0.1)', () => {
  const tmp = tempDir('tj-e2e-');
  const warehouse = join(tmp.dir, 'warehouse.duckdb');
  const log = createLogger(() => {});
  let site: RunningSite;
  let browser: Browser;

  const query = (sql: string, params: (string | number)[] = []): Promise<Row[]> =>
    withReadOnly(warehouse, async (conn) => (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as Row[]);

  async function open(path: string): Promise<{ page: Page; watch: PageWatch }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page, site.url);
    // Wait for what the user sees, never for network idle (Evidence keeps fetching in the background, so idle may
    // never come within a timeout on a busy machine): the document, then the page's heading.
    await page.goto(new URL(path.replace(/^\//, ''), site.url).href, { waitUntil: 'domcontentloaded' });
    await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
    return { page, watch };
  }

  function expectClean(watch: PageWatch, path: string): void {
    expect(watch.outsideRequests, `requests leaving 127.0.0.1 from ${path}`).toEqual([]);
    expect(watch.consoleErrors, `console errors or warnings on ${path}`).toEqual([]);
    expect(watch.failedRequests, `failed requests on ${path}`).toEqual([]);
  }

  /** The text a scorecard tile must show for a marts.scorecard row (fi-FI number and the unit). */
  const tileText = (row: Row) =>
    plainSpaces(`${formatNumberFi(row.value, Number(row.decimals ?? 1))}${row.unit ? ` ${row.unit}` : ''}`);

  beforeAll(async () => {
    const summaries = await runJobs(selectJobs('all'), { config: testConfig(warehouse), log });
    expect(summaries.map((s) => `${s.job}:${s.outcome}`)).toEqual(summaries.map((s) => `${s.job}:success`));
    await buildSite({ warehousePath: warehouse, log: createLogger() });
    site = await serveSite(BUILD_DIR, '127.0.0.1', 0);
    browser = await launchChromium();
  }, 1_800_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    tmp.cleanup();
  });

  it('every page type loads offline without console errors or failed requests', async () => {
    const [unit] = await query('select unit_code from marts.unit_data_monthly order by unit_code limit 1');
    const [indicator] = await query('select indicator_id from marts.indicator_dictionary order by indicator_id limit 1');
    const pages: [string, string][] = [
      ['/', 'strategic'],
      ['/toteutus', 'implementation'],
      ['/yksikot', 'operational'],
      [`/yksikot/${unit!.unit_code}`, 'unit'],
      ['/alueet', 'areas'],
      [`/alueet/${PP}`, 'area'],
      ['/indikaattorit', 'indicators'],
      [`/indikaattorit/${indicator!.indicator_id}`, 'indicator'],
      ['/tila', 'data-status'],
      ['/vaesto', 'population'],
      ['/ennakointi', 'foresight'],
      ['/ennakointi/skenaariot', 'scenarios'],
      ['/ennakointi/menetelma', 'foresight-method'],
    ];
    for (const [path, name] of pages) {
      const { page, watch } = await open(path);
      await expect.poll(() => page.locator('h1').count()).toBeGreaterThan(0);
      expect(await page.locator('text=/Error in /').count(), `an error box on ${path}`).toBe(0);
      await screenshot(page, name);
      expectClean(watch, path);
      await page.close();
    }
  }, 300_000);

  it('the built site serves data files of the marts source queries only (issue 12)', () => {
    const queries = readdirSync(join('sources', 'warehouse')).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4));
    const dataFiles = readdirSync(BUILD_DIR, { recursive: true, encoding: 'utf8' })
      .map((f) => f.replaceAll('\\', '/'))
      .filter((f) => /\.(parquet|arrow|duckdb|db|sqlite|csv)$/i.test(f));
    expect(dataFiles.length).toBeGreaterThan(0);
    // The sources' parquet files, and Evidence's prerendered results of the pages' queries over them.
    const query = new RegExp(`(^|/)data/warehouse/(${queries.join('|')})/(.+/)?\\2\\.parquet$|(^|/)api/prerendered_queries/[^/]+$`);
    for (const f of dataFiles) expect(f, 'a data file that is not a marts source query').toMatch(query);
    expect(dataFiles.filter((f) => f.endsWith('.parquet')).length).toBeGreaterThan(0);
    const manifest = JSON.parse(readFileSync(join(BUILD_DIR, 'data', 'manifest.json'), 'utf8')) as { renderedFiles: object };
    expect(Object.keys(manifest.renderedFiles)).toEqual(['warehouse']);
  });

  it('the strategic page shows the warehouse value and status of an indicator, and follows the area dropdown', async () => {
    const pick = `select indicator_id, value, decimals, unit, status from marts.scorecard
                  where org_id = $1 and period_type = 'year' and year(period_start) = $2 and is_strategic
                    and value is not null and not is_suppressed and indicator_id in (
                      select indicator_id from marts.scorecard where org_id = $3 and period_type = 'year'
                        and year(period_start) = $2 and value is not null and not is_suppressed)
                  order by indicator_id limit 1`;
    const [pp] = await query(pick, [PP, DEFAULT_YEAR, KAINUU]);
    expect(pp, 'a strategic indicator with values for both counties').toBeDefined();
    const [kainuu] = await query(
      `select value, decimals, unit, status from marts.scorecard
       where org_id = $1 and indicator_id = $2 and period_type = 'year' and year(period_start) = $3`,
      [KAINUU, String(pp!.indicator_id), DEFAULT_YEAR],
    );

    const { page, watch } = await open('/');
    const tile = page.locator(`[data-testid=score-tile][data-indicator="${pp!.indicator_id}"]`);
    await expect.poll(async () => plainSpaces(await tile.getByTestId('score-tile-value').textContent())).toBe(tileText(pp!));
    expect(await tile.getByTestId('score-tile-status').getAttribute('data-status')).toBe(pp!.status);
    expect(await page.getByTestId('perspective-score').count()).toBeGreaterThan(0);

    await chooseDropdown(page, 'Alue', 'Kainuun hyvinvointialue (hyvinvointialue)');
    await expect
      .poll(async () => plainSpaces(await tile.getByTestId('score-tile-value').textContent()), { timeout: 15_000 })
      .toBe(tileText(kainuu!));
    expect(await tile.getByTestId('score-tile-status').getAttribute('data-status')).toBe(kainuu!.status);
    await screenshot(page, 'strategic-kainuu');
    expectClean(watch, '/ (after the dropdown change)');
    await page.close();
  });

  it('a suppressed value shows the marker, never 0 or blank', async () => {
    // Issue 12: the counties' yearly figures are no longer withheld on the demo; an area page with a withheld value.
    const [suppressed] = await query(
      `select s.org_id, s.indicator_id from marts.scorecard s
       where s.org_type in ('wellbeing_county', 'collaboration_area', 'sub_area') and s.period_type = 'year' and s.is_suppressed
         and s.period_start = (select max(t.period_start) from marts.scorecard t where t.org_id = s.org_id
             and t.indicator_id = s.indicator_id and t.period_type = 'year')
       order by s.org_id, s.indicator_id limit 1`,
    );
    expect(suppressed, 'the demo data has a withheld value on an area page').toBeDefined();
    const { page } = await open(`/alueet/${suppressed!.org_id}`);
    const value = page.locator(`[data-testid=score-tile][data-indicator="${suppressed!.indicator_id}"] [data-testid=score-tile-value]`);
    await expect.poll(async () => plainSpaces(await value.textContent())).toMatch(/^–\s?salattu$/);
    expect(await value.getAttribute('title')).toMatch(/tietosuoja/);
    await page.close();
  });

  it('the unit manager sees only their own unit', async () => {
    const [unit] = await query(
      `select unit_code, any_value(unit_name_fi) as unit_name_fi, count(*) as months from marts.unit_data_monthly
       group by unit_code order by unit_code desc limit 1`,
    );
    const { page, watch } = await open('/yksikot');
    await chooseDropdown(page, 'Yksikkö', String(unit!.unit_name_fi));
    const names = page.locator('table').first().locator('tr td[role=cell]:nth-child(2)');
    // Every row of the table is the chosen unit's (the table pages; rows of other units never appear).
    await expect
      .poll(async () => [...new Set((await names.allTextContents()).map((t) => t.trim()))], { timeout: 15_000 })
      .toEqual([unit!.unit_name_fi]);
    expect(await names.count()).toBeGreaterThan(0);
    expect(await names.count()).toBeLessThanOrEqual(Number(unit!.months));
    expectClean(watch, '/yksikot');
    await page.close();
  });

  it('numbers are in Finnish format: a space between thousands and a decimal comma', async () => {
    const { page } = await open('/toteutus');
    // The table is a loading skeleton until its data is there: wait for a number the user sees.
    await expect.poll(async () => (await page.locator('table').first().textContent()) ?? '', { timeout: 45_000 }).toMatch(/\d/);
    const table = (await page.locator('table').first().textContent()) ?? '';
    expect(table).toMatch(/\d[\u00a0\u202f ]\d{3}/);
    expect(table).toMatch(/\d,\d/);
    expect(table).not.toMatch(/\d,\d{3},\d{3}/);
    expect(await page.getByTestId('ytd-visits-value').textContent()).toMatch(/^\s*\d{1,3}([\u00a0\u202f ]\d{3})+\s*$/);
    await page.close();
  });

  it('the implementation page reads its totals from marts.service_use_yearly, never summing published months (issue 12)', { timeout: 120_000 }, async () => {
    const [mart] = await query(
      `select visits, (select cost_eur_per_resident from marts.service_use_yearly m
                       where m.municipality_level = 'municipality' and m.specialty_code = 'ALL' and m.service_type = 'ALL'
                         and m.year = y.year order by cost_eur_per_resident desc nulls last, municipality_name_fi limit 1) as top
       from marts.service_use_yearly y
       where municipality_code = 'ALL' and specialty_code = 'ALL' and service_type = 'ALL'
         and year = (select max(year) from marts.service_use_yearly)`,
    );
    const { page, watch } = await open('/toteutus');
    await expect.poll(async () => plainSpaces((await page.getByTestId('ytd-visits-value').textContent()) ?? '').trim())
      .toBe(plainSpaces(formatNumberFi(mart!.visits, 0)));
    // "Kunnat vertailussa" (ordered by €/resident) shows the mart's highest €/resident once its data has loaded.
    const table = page.locator('table').first();
    await expect.poll(async () => plainSpaces(await table.textContent()), { timeout: 45_000 })
      .toContain(plainSpaces(formatNumberFi(mart!.top, 0)));
    expectClean(watch, '/toteutus');
    await page.close();
  });

  it('the population page shows the warehouse population for the selected area, and follows the dropdown', async () => {
    const population = async (areaId: string) => {
      const [row] = await query(
        `select population, year from marts.population_by_area
         where area_id = $1 and year = (select max(year) from marts.population_by_area)`,
        [areaId],
      );
      return { text: plainSpaces(new Intl.NumberFormat('fi-FI').format(Number(row!.population))), year: row!.year };
    };
    const { page, watch } = await open('/vaesto');
    const tile = page.getByTestId('population-tile-value');
    const county = await population('wellbeing_county:19');
    await expect.poll(async () => plainSpaces(await tile.textContent()), { timeout: 15_000 }).toBe(county.text);
    expect(await tile.textContent()).toMatch(/^\s*\d{1,3}([\u00a0\u202f ]\d{3})+\s*$/);
    await expect.poll(async () => page.getByTestId('population-tile').textContent()).toContain(`31.12.${county.year}`);

    await chooseDropdown(page, 'Alue', 'Kainuun hyvinvointialue (hyvinvointialue)');
    const kainuu = await population('wellbeing_county:20');
    expect(kainuu.text).not.toBe(county.text);
    await expect.poll(async () => plainSpaces(await tile.textContent()), { timeout: 15_000 }).toBe(kainuu.text);

    await chooseDropdown(page, 'Alue', 'Reisjärvi (kunta)');
    const reisjarvi = await population('municipality:691');
    await expect.poll(async () => plainSpaces(await tile.textContent()), { timeout: 15_000 }).toBe(reisjarvi.text);
    await expect.poll(async () => page.getByTestId('population-tile').textContent()).toContain(`31.12.${reisjarvi.year}`);
    await screenshot(page, 'population-filtered');
    expectClean(watch, '/vaesto');
    await page.close();
  });

  it('the foresight page shows the projected need of the pilot area at the horizon, and follows the measure dropdown', async () => {
    const projected = async (measure: string) => {
      const [row] = await query(
        `select ${measure} as v from marts.service_need_projection
         where area_code = 'oulunkaari-lakeus' and specialty_code = 'ALL' and service_type = 'ALL'
           and year = (select max(year) from marts.service_need_projection)`,
      );
      return plainSpaces(formatNumberFi(row!.v, 0));
    };
    const { page, watch } = await open('/ennakointi');
    const horizon = page.getByTestId('foresight-horizon-value');
    await expect.poll(async () => plainSpaces(await horizon.textContent()), { timeout: 15_000 }).toBe(await projected('cost_eur'));
    await chooseDropdown(page, 'Mittari', 'Käynnit');
    await expect.poll(async () => plainSpaces(await horizon.textContent()), { timeout: 15_000 }).toBe(await projected('visits'));
    const low = plainSpaces(await page.getByTestId('foresight-low-value').textContent());
    expect(low).toBe(await projected('visits_low'));
    expectClean(watch, '/ennakointi');
    await page.close();
  });

  it('the scenario page shows the alternatives and their difference to today for the pilot area', async () => {
    const rows = await query(
      `select scenario_name_fi, total_cost_eur, diff_total_cost_eur, cum_diff_total_cost_eur
       from marts.scenario_results
       where municipality_code = 'ALL' and year = (select max(year) from marts.scenario_results)
       order by scenario_sort`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3); // the baseline and at least two alternatives
    const { page, watch } = await open('/ennakointi/skenaariot');
    await expect.poll(async () => page.locator('article, main').first().textContent(), { timeout: 15_000 }).toContain('Oulunkaari–Lakeus');
    const cards = page.getByTestId('scenario-card');
    expect(await cards.count()).toBe(rows.length);
    const table = page.locator('table', { hasText: 'Kertynyt ero' }).first();
    await expect.poll(() => table.locator('tr:has(td)').count(), { timeout: 15_000 }).toBe(rows.length);
    const texts = (await table.locator('tr:has(td)').allTextContents()).map((t) => plainSpaces(t).trim());
    for (const r of rows) {
      const matching = texts.filter((t) => t.startsWith(String(r.scenario_name_fi)));
      expect(matching, `the row of ${r.scenario_name_fi}`).toHaveLength(1);
      const text = matching[0] as string;
      expect(text).toContain(plainSpaces(formatNumberFi(r.total_cost_eur, 0)));
      if (Number(r.diff_total_cost_eur) !== 0) {
        expect(text).toContain(plainSpaces(formatNumberFi(Math.abs(Number(r.diff_total_cost_eur)), 0)));
        expect(text).toContain(plainSpaces(formatNumberFi(Math.abs(Number(r.cum_diff_total_cost_eur)), 0)));
      }
    }
    // the alternatives do differ from today's model
    expect(rows.slice(1).some((r) => Number(r.cum_diff_total_cost_eur) !== 0)).toBe(true);
    await screenshot(page, 'scenarios-compared');
    expectClean(watch, '/ennakointi/skenaariot');
    await page.close();
  });
});
