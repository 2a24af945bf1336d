import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JS module shared with the Svelte components
import { formatNumberFi } from '../../components/fi-format.js';
import { loadConfig, type SiteFrame } from '../../pipelines/settings/pipeline.js';
import { createLogger } from '../../pipelines/log.js';
import { BUILD_DIR, buildSite, dataAsOf, serveSite, type RunningSite } from '../../pipelines/site.js';
import { SOURCE_DATA_DIR } from '../../pipelines/site-data-language.js';
import { projectRoot } from '../../pipelines/paths.js';
import { withDuckDB } from '../../pipelines/warehouse.js';
import { loadMessageCatalogue } from '../../pipelines/site-messages.js';
import { writeBoardPacks } from '../../pipelines/ops/board-pack.js';
import {
  chooseDropdown,
  hasChromium,
  hoverTableUntil,
  launchChromium,
  NO_CHROMIUM_MESSAGE,
  plainSpaces,
  screenshot,
  SCREENSHOT_DIR,
  watchPage,
  type PageWatch,
} from '../helpers/browser.js';
import { compareFigures, compareTable, type FigureSpec } from '../helpers/figures.js';
import { compareTiles, readTiles, type TileRow } from '../helpers/tiles.js';
import { describeSignIn } from './sign-in-checks.js';
import { copyDemoWarehouse, FORMULA_FILE } from '../helpers/demo-warehouse.js';
import { tempDir, withReadOnly } from '../helpers/tmp.js';
import { NUMBER_SHOWN, pageTypes as benchPageTypes } from '../../bench/pages.js';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const PP = 'pohjois-pohjanmaan-hyvinvointialue';
const KAINUU = 'kainuun-hyvinvointialue';
const DEFAULT_YEAR = 2022; // the front page's default year (reports/index.md)

type Row = Record<string, unknown>;

/** The browser tests' demo warehouse (test/helpers/demo-warehouse.ts), shared by both builds of this file. */
const tmp = tempDir('tj-e2e-');
const warehouse = join(tmp.dir, 'warehouse.duckdb');
afterAll(() => tmp.cleanup());

let sourcesWritten = false;
/**
 * The shared warehouse, then an Evidence build in `frame`, served on 127.0.0.1. A build after the first reuses the
 * first one's `evidence sources` output (the same warehouse; an sv build only puts the language's words into it).
 */
async function buildAndServe(frame: SiteFrame): Promise<{ site: RunningSite; browser: Browser }> {
  if (!existsSync(warehouse)) await copyDemoWarehouse(warehouse);
  await buildSite({ warehousePath: warehouse, log: createLogger(), frame, reuseSources: sourcesWritten });
  sourcesWritten = true;
  return { site: await serveSite(BUILD_DIR, '127.0.0.1', 0), browser: await launchChromium() };
}

/**
 * One build of the whole site for every browser test (an Evidence build takes minutes): the demo pipelines into a
 * temporary warehouse, `evidence sources` + `evidence build:strict`, served on 127.0.0.1.
 */
describe.skipIf(!hasChromium)('the dashboards in a real browser (built site, served on 127.0.0.1)', () => {
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

  beforeAll(async () => {
    // the demo configuration's frame: its name, logo and language (config/pipeline.yaml `site:`)
    ({ site, browser } = await buildAndServe(loadConfig().site.frame!));
  }, 1_800_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  // The same build served a second time behind OpenID Connect sign-in (test/e2e/sign-in-checks.ts): no build of its own.
  describeSignIn({
    browser: () => browser,
    unitCode: async () => String((await query('select unit_code from marts.unit_data_monthly order by unit_code limit 1'))[0]?.unit_code),
  });

  /** One page of every type, with the name of its screenshot. */
  async function pageTypes(): Promise<[string, string][]> {
    const [unit] = await query('select unit_code from marts.unit_data_monthly order by unit_code limit 1');
    const [indicator] = await query('select indicator_id from marts.indicator_dictionary order by indicator_id limit 1');
    return [
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
      ['/tiekartta', 'roadmap'],
      ['/strategiakartta', 'strategy-map'],
      [`/raportti/${PP}`, 'board-report-page'], // branch pack: the board report
    ];
  }

  it('every page type loads offline without console errors or failed requests', async () => {
    const pages = await pageTypes();
    for (const [path, name] of pages) {
      const { page, watch } = await open(path);
      await expect.poll(() => page.locator('h1').count()).toBeGreaterThan(0);
      // Evidence shows a pulsing skeleton while a query or chart loads: wait until the page has drawn its content.
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      expect(await page.locator('text=/Error in /').count(), `an error box on ${path}`).toBe(0);
      await screenshot(page, name);
      expectClean(watch, path);
      await page.close();
    }
  }, 300_000);

  /** Evidence's English frame words (issue 18); none may show on a page, in its text or its labels. */
  const ENGLISH_CHROME = [
    /\bHome\b/, /\bOn this page\b/, /\bBuilt with\b/, /\bEvidence\b/, /\bPage\b/, /\bDownload\b/, /\bFullscreen\b/,
    /\bNo Records\b/i, /\bNo Results\b/i, /\brecords\b/, /\bSearch\b/, /\bPrint PDF\b/, /\bSave Image\b/, /\bsidebar\b/,
  ];

  it('the frame is Finnish on every page type: no English chrome word, lang="fi", sentence case, links look like links', async () => {
    const html = await (await fetch(site.url)).text();
    expect(html).toMatch(/<html lang="fi"/);
    for (const [path, name] of await pageTypes()) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const watch = watchPage(page, site.url);
      await page.goto(new URL(path.replace(/^\//, ''), site.url).href, { waitUntil: 'domcontentloaded' });
      await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      expect(await page.evaluate(() => document.documentElement.lang), path).toBe('fi');
      // a table's buttons (download, fullscreen) show when the pointer is over it
      const tables = page.locator('.table-container:visible');
      if ((await tables.count()) > 0) await hoverTableUntil(page, tables.first(), 'Koko näyttö');
      const texts = await page.evaluate(() => [
        document.body.innerText,
        ...[...document.querySelectorAll('[aria-label], [alt], [placeholder], [title]')].flatMap((e) =>
          ['aria-label', 'alt', 'placeholder', 'title'].map((a) => e.getAttribute(a) ?? ''),
        ),
      ]);
      for (const word of ENGLISH_CHROME) expect(texts.filter((t) => word.test(t)), `${word} on ${path}`).toEqual([]);
      const body = plainSpaces(texts[0]!);
      expect(body, path).toContain('Etusivu');
      expect(body, `the sidebar in sentence case on ${path}`).toContain('Palvelujen käyttö ja kustannukset');
      expect(body).not.toContain('Palvelujen Käyttö Ja Kustannukset');
      if (path === '/toteutus') expect(body).toContain('€ / asukas');
      if (path === '/') {
        expect(await page.locator('img[alt="Etusivu"]').count(), 'the organisation\'s logo').toBeGreaterThan(0);
        const link = page.locator('#evidence-main-article a', { hasText: 'palvelujen käyttö' }).first();
        expect(await link.evaluate((a) => getComputedStyle(a).textDecorationLine)).toContain('underline');
      }
      await page.evaluate(() => window.scrollTo(0, 0)); // hovering a table scrolled it into view
      await screenshot(page, `${name}-1440`);
      expectClean(watch, path);
      await page.close();
    }
  }, 300_000);

  it('at 390 px every element of every page is on the screen or in a box that scrolls; the scores and tiles show', async () => {
    for (const [path, name] of await pageTypes()) {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const watch = watchPage(page, site.url);
      await page.goto(new URL(path.replace(/^\//, ''), site.url).href, { waitUntil: 'domcontentloaded' });
      await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      const cut = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const scrolls = (e: Element | null): boolean => {
          for (let a = e?.parentElement ?? null; a && a !== document.body; a = a.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
          }
          return false;
        };
        return [...document.querySelectorAll('#evidence-main-article *, header *')]
          .filter((e) => {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden') return false;
            return (r.right > width + 1 || r.left < -1) && !scrolls(e);
          })
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent ?? '').trim().slice(0, 40)}"`)
          .slice(0, 10);
      });
      expect(cut, `elements cut at the screen's edge on ${path}`).toEqual([]);
      if (path === '/') {
        const scores = page.getByTestId('perspective-score');
        expect(await scores.count()).toBe(4);
        const tiles = page.getByTestId('score-tile');
        expect(await tiles.count()).toBeGreaterThan(0);
        for (const l of [...(await scores.all()), ...(await page.locator('.tj-bar-track').all()), ...(await tiles.all())]) {
          const box = await l.boundingBox();
          expect(box, 'a score, bar or tile has a size').not.toBeNull();
          expect(box!.width).toBeGreaterThan(10);
          expect(box!.x).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width).toBeLessThanOrEqual(391);
        }
      }
      await screenshot(page, `${name}-390`);
      expectClean(watch, `${path} at 390 px`);
      await page.close();
    }
  }, 300_000);

  it('a printed page has a header with the organisation, the page and its area and year, the data date and the print date', async () => {
    const { page, watch } = await open('/');
    await expect.poll(() => page.getByTestId('perspective-score').count(), { timeout: 30_000 }).toBe(4);
    const printHeader = () =>
      page.evaluate(() => {
        window.dispatchEvent(new Event('beforeprint'));
        return document.getElementById('tj-print-header')?.textContent ?? '';
      });
    // written when the page has hydrated
    await expect.poll(printHeader, { timeout: 30_000 }).toContain('@top-left');
    const header = await printHeader();
    expect(header).toContain('@top-left { content: "Tiedolla johtaminen"');
    expect(header).toMatch(/@top-center \{ content: "Strateginen tuloskortti · Alue: Pohjois-Pohjanmaan hyvinvointialue[^"·]* · Vuosi: 2022 · Mittari: [^"]+"/);
    expect(header).toMatch(/@top-right \{ content: "Tiedot \d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2} · Tulostettu \d{1,2}\.\d{1,2}\.\d{4}/);
    await page.emulateMedia({ media: 'print' });
    expect((await page.pdf({ format: 'A4' })).length).toBeGreaterThan(10_000);
    expectClean(watch, '/ (print)');
    await page.close();
  });

  /** The fields of a CSV line written with `;` (quoted fields may hold `;` and doubled quotes). */
  function csvFields(line: string): string[] {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ';') fields.push(field), (field = '');
      else field += c;
    }
    fields.push(field);
    return fields;
  }
  const csvNumber = (text: string): number | null => (text === '' ? null : Number(text.replace(',', '.')));

  it('a table downloads as a Finnish Excel CSV (; and decimal commas, BOM, d.m.yyyy, its headers, a telling name) that round-trips the page and the mart', async () => {
    const [unit] = await query(
      `select unit_code, any_value(unit_name_fi) as unit_name_fi from marts.unit_data_monthly group by unit_code order by unit_code desc limit 1`,
    );
    const mart = await query(
      `select strftime(month, '%-d.%-m.%Y') as month_fi, staff_htv, sickness_absence_pct, visits from marts.unit_data_monthly
       where unit_code = $1 order by month desc`,
      [String(unit!.unit_code)],
    );
    const { page, watch } = await open('/yksikot');
    await chooseDropdown(page, 'Yksikkö', String(unit!.unit_name_fi));
    const table = page.getByTestId('DataTable-unit_table');
    const firstName = table.locator('tr td[role=cell]:nth-child(2)').first();
    await expect.poll(async () => plainSpaces(await firstName.textContent()), { timeout: 30_000 }).toBe(unit!.unit_name_fi);
    await hoverTableUntil(page, table, 'Lataa CSV');
    const [download] = await Promise.all([page.waitForEvent('download'), table.locator('button[aria-label="Lataa CSV"]').click()]);
    // what (the page and the chosen unit) and when
    expect(download.suggestedFilename()).toBe(`Yksiköt – ${unit!.unit_name_fi} ${new Date().getDate()}.${new Date().getMonth() + 1}.${new Date().getFullYear()}.csv`);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n').filter((l) => l !== '');
    const header = csvFields(lines[0]!);
    expect(header).toEqual(['Kuukausi', 'Yksikkö', 'Htv', 'Sairauspoissaolo %', 'Ylityötunnit', 'Jono', 'Odotus (md, vrk)', 'Palaute', 'Vastaajia', 'Käynnit']);
    const rows = lines.slice(1).map(csvFields);
    expect(rows.length).toBe(mart.length);
    rows.forEach((r, i) => {
      expect(r).toHaveLength(header.length);
      expect(r[0], 'd.m.yyyy').toBe(mart[i]!.month_fi);
      expect(r[1]).toBe(unit!.unit_name_fi);
      const close = (v: unknown) => (v == null ? null : expect.closeTo(Number(v), 9));
      expect(csvNumber(r[2]!)).toEqual(close(mart[i]!.staff_htv));
      expect(csvNumber(r[3]!)).toEqual(close(mart[i]!.sickness_absence_pct));
      expect(csvNumber(r[9]!)).toEqual(close(mart[i]!.visits));
    });
    expect(rows.some((r) => /^\d+,\d+$/.test(r[2]!)), 'a decimal comma').toBe(true);
    // the numbers the page shows are the CSV's, formatted as the column's fmt
    const shown = await table.locator('tr:has(td[role=cell])').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td[role=cell]')].map((td) => (td.textContent ?? '').trim())),
    );
    expect(shown.length).toBeGreaterThan(0);
    const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const asShown = (csv: string, decimals: number) => (csv === '' ? /^[-–]?$/ : exactly(plainSpaces(formatNumberFi(csvNumber(csv), decimals))));
    shown.forEach((cells, i) => {
      expect(plainSpaces(cells[2]!)).toMatch(asShown(rows[i]![2]!, 1));
      expect(plainSpaces(cells[9]!)).toMatch(asShown(rows[i]![9]!, 0));
    });
    // the same table as an .xlsx workbook
    const [xlsx] = await Promise.all([page.waitForEvent('download'), table.locator('button[aria-label="Lataa Excel"]').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect([...readFileSync(await xlsx.path()).subarray(0, 2)]).toEqual([0x50, 0x4b]); // a zip (Office Open XML)
    expectClean(watch, '/yksikot (downloads)');
    await page.close();
  });

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

  /** Waits until the page's tiles equal the mart rows (they update after a dropdown change); the last differences fail. */
  async function expectTilesEqualMart(page: Page, expected: Row[], where: string): Promise<void> {
    await expect
      .poll(async () => compareTiles(await readTiles(page), expected as unknown as TileRow[]), { timeout: 30_000, message: `tiles on ${where}` })
      .toEqual([]);
  }

  it('a CSV download escapes cells that a spreadsheet would run as a formula (= + - @ tab CR)', async () => {
    const { page, watch } = await open('/tila');
    const table = page.getByTestId('DataTable-rejects').getByRole('table');
    await table.getByText(FORMULA_FILE).waitFor({ state: 'visible', timeout: 30_000 });
    // the prerendered table shows its rows before the page has hydrated; its buttons answer only after that
    await hoverTableUntil(page, page.getByTestId('DataTable-rejects'), 'Lataa CSV');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('DataTable-rejects').locator('button[aria-label="Lataa CSV"]').first().click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split(/\r?\n/).flatMap((line) => csvFields(line))).toContain(`'${FORMULA_FILE}`);
    // No cell of the file starts with a formula character.
    expect(csv.split(/\r?\n/).flatMap((line) => csvFields(line))).not.toContainEqual(expect.stringMatching(/^[=+\-@\t\r]/));
    expectClean(watch, '/tila (download)');
    await page.close();
  });

  /** Texts that must never appear on a board's page. */
  async function expectNoBrokenTexts(page: Page, where: string): Promise<void> {
    const text = plainSpaces(await page.locator('article, main').first().textContent());
    for (const bad of ['No Records', 'NaN', 'GMT', 'Infinity']) expect(text, `"${bad}" on ${where}`).not.toContain(bad);
    expect(text, `"ei tavoitetta" beside a target on ${where}`).not.toMatch(/Tavoite [^·]*· ei tavoitetta/);
  }

  it('the front page shows the marts tile by tile, under one "as of" rule, for every year of its dropdown and the areas', async () => {
    const years = (await query('select distinct as_of_year from marts.dual_model_as_of order by as_of_year desc')).map((r) => Number(r.as_of_year));
    expect(years).toContain(DEFAULT_YEAR);
    const { page, watch } = await open('/');
    const scoresOf = (area: string, year: number) =>
      query(
        `select score_0_100, coverage_fi from marts.perspective_scores_as_of where org_id = $1 and as_of_year = $2
         order by case perspective when 'customer' then 1 when 'process' then 2 when 'finance' then 3 else 4 end`,
        [area, year],
      );
    // The map's expected cells: the mart's values of the indicator the map dropdown shows.
    const mapOf = async (year: number) => {
      const chosen = plainSpaces(await page.locator('button[aria-label="Mittari"]').textContent());
      const [indicator] = await query(
        `select indicator_id from marts.scorecard_as_of where org_type = 'municipality' and as_of_year = $1
           and $2 like '%' || indicator_name_fi || '%' order by length(indicator_name_fi) desc limit 1`,
        [year, chosen],
      );
      expect(indicator, `the map's indicator "${chosen}"`).toBeDefined();
      const cells = await query(
        `select g.name, a.value, a.decimals from marts.municipality_grid g
         left join marts.scorecard_as_of a on a.org_id = g.org_id and a.indicator_id = $1 and a.as_of_year = $2
         order by g.name`,
        [String(indicator!.indicator_id), year],
      );
      return cells.map((c) => `${c.name}: ${plainSpaces(formatNumberFi(c.value, Number(c.decimals ?? 1)))}`);
    };
    const renderedMap = async () =>
      (await page.getByTestId('grid-map-cell').evaluateAll((cells) =>
        cells.map((c) => `${c.querySelector('.tj-cell-name')?.textContent ?? ''}: ${c.querySelector('.tj-cell-value')?.textContent ?? ''}`),
      ))
        .map((t) => plainSpaces(t))
        .sort((a, b) => a.localeCompare(b));

    const check = async (area: string, year: number) => {
      const where = `/ (${area}, ${year})`;
      const tiles = await query('select * from marts.scorecard_as_of where org_id = $1 and as_of_year = $2 and is_strategic', [area, year]);
      expect(tiles.length, where).toBeGreaterThan(0);
      await expectTilesEqualMart(page, tiles, where);
      const scores = await scoresOf(area, year);
      await expect
        .poll(async () => (await page.getByTestId('perspective-score').allTextContents()).map((t) => plainSpaces(t)), { timeout: 15_000 })
        .toEqual(scores.map((r) => plainSpaces(formatNumberFi(r.score_0_100, 0))));
      expect((await page.getByTestId('perspective-coverage').allTextContents()).map((t) => plainSpaces(t))).toEqual(scores.map((r) => r.coverage_fi));
      await expectNoBrokenTexts(page, where);
    };

    // the default year first (it needs no dropdown), then every other year the dropdown offers
    for (const year of [DEFAULT_YEAR, ...years.filter((y) => y !== DEFAULT_YEAR)]) {
      if (year !== DEFAULT_YEAR) await chooseDropdown(page, 'Vuosi', String(year));
      await check(PP, year);
      // The map follows the same rule: every municipality's value of the latest year up to the chosen one.
      await expect.poll(async () => (await renderedMap()).join('|'), { timeout: 15_000 }).toEqual((await mapOf(year)).sort((a, b) => a.localeCompare(b)).join('|'));
      const expectedMap = await mapOf(year);
      expect(expectedMap.some((c) => !c.endsWith(': –')), `map values for ${year}`).toBe(true);
    }
    await screenshot(page, 'strategic-latest-year');

    await chooseDropdown(page, 'Alue', 'Kainuun hyvinvointialue (hyvinvointialue)');
    await check(KAINUU, years[years.length - 1]!);
    await chooseDropdown(page, 'Vuosi', String(DEFAULT_YEAR));
    await check(KAINUU, DEFAULT_YEAR);
    // Oulunkaari has values, and says where a source covers only part of its members (Simo is in no PP extract).
    await chooseDropdown(page, 'Alue', 'Oulunkaari (yhteistoiminta-alue)');
    await check('oulunkaari', DEFAULT_YEAR);
    expect(await page.getByTestId('score-tile-coverage').count()).toBeGreaterThan(0);
    await screenshot(page, 'strategic-oulunkaari');
    expectClean(watch, '/ (every year, three areas)');
    await page.close();
  }, 600_000);

  it('the area pages show the marts tile by tile; Oulunkaari has values, coverage and its members by year', async () => {
    for (const area of [PP, 'oulunkaari']) {
      const { page, watch } = await open(`/alueet/${area}`);
      await expectTilesEqualMart(page, await query('select * from marts.scorecard_as_of where org_id = $1 and is_latest', [area]), `/alueet/${area}`);
      await expectNoBrokenTexts(page, `/alueet/${area}`);
      if (area === 'oulunkaari') {
        expect(await page.getByTestId('score-tile-coverage').first().textContent()).toContain('4/5 jäsenkuntaa');
        const members = plainSpaces(await page.locator('table', { hasText: 'Jäsenkunnat' }).first().textContent());
        for (const name of ['Ii', 'Pudasjärvi', 'Utajärvi', 'Vaala', 'Simo']) expect(members).toContain(name);
        expect(members).not.toContain('Tervola');
        await screenshot(page, 'area-oulunkaari');
      }
      expectClean(watch, `/alueet/${area}`);
      await page.close();
    }
  });

  it('a unit page shows the marts tile by tile', async () => {
    const [unit] = await query(`select org_id from marts.scorecard_latest where org_type = 'unit' and period_type = 'month'
                                group by org_id order by count(*) desc, org_id limit 1`);
    const path = `/yksikot/${unit!.org_id}`;
    const { page, watch } = await open(path);
    await expectTilesEqualMart(page, await query(`select * from marts.scorecard_latest where org_id = $1 and period_type = 'month'`, [String(unit!.org_id)]), path);
    await expectNoBrokenTexts(page, path);
    expectClean(watch, path);
    await page.close();
  });

  it('an indicator page shows its dictionary entry in words, Finnish numbers and dates, and says the data is demo', async () => {
    const [ind] = await query(`select * from marts.indicator_dictionary where indicator_id = 'net_costs_per_resident'`);
    const path = '/indikaattorit/net_costs_per_resident';
    const { page, watch } = await open(path);
    const definition = page.locator('table', { hasText: 'Johtamisen tasot' }).first();
    await expect.poll(async () => plainSpaces(await definition.textContent()), { timeout: 15_000 }).toContain(String(ind!.levels_fi));
    expect(plainSpaces(await definition.textContent())).not.toMatch(/strategic|operational|implementation|sotkanet\.\d/);
    expect(plainSpaces(await definition.textContent())).toContain(String(ind!.formula_fi));
    const quality = plainSpaces(await page.locator('table', { hasText: 'Viimeisin jakso' }).first().textContent());
    expect(quality).toContain(String(ind!.latest_period_label));
    expect(quality).toContain(plainSpaces(formatNumberFi(ind!.values_count, 0)));
    await expect.poll(() => page.getByTestId('demo-notice').count()).toBe(1);
    expect(plainSpaces(await page.locator('article, main').first().textContent())).toContain('Esimerkkiaineisto: luvut ovat keksittyjä');
    await expectNoBrokenTexts(page, path);
    expectClean(watch, path);
    await page.close();
  });

  it('the query engine and the data files load only when a query runs in the browser, and only the tables it names', async () => {
    const engine = (r: string) => /duckdb-browser-.*worker|duckdb-(eh|mvp)\..*\.wasm|arrow1_bg\..*\.wasm/.test(r);
    const data = (r: string) => r.endsWith('.parquet');
    const [indicator] = await query('select indicator_id from marts.indicator_dictionary order by indicator_id limit 1');
    for (const path of ['/ennakointi/menetelma', `/indikaattorit/${indicator!.indicator_id}`]) {
      const { page, watch } = await open(path);
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      await page.waitForTimeout(2_000); // an absence: give a late request the time to show
      expect(watch.requests.filter((r) => engine(r) || data(r)), `engine or data requests on ${path}`).toEqual([]);
      expectClean(watch, path);
      await page.close();
    }
    const { page, watch } = await open('/');
    await chooseDropdown(page, 'Alue', 'Kainuun hyvinvointialue (hyvinvointialue)');
    await expect.poll(() => watch.requests.filter(data).some((r) => r.endsWith('/scorecard_as_of.parquet')), { timeout: 30_000 }).toBe(true);
    expect(watch.requests.filter(data).filter((r) => /\/(service_use|unit_data_monthly|service_need_projection|scorecard)\.parquet$/.test(r))).toEqual([]);
    expectClean(watch, '/ (lazy tables)');
    await page.close();
  }, 120_000);

  it('a suppressed value shows the marker, never 0 or blank', async () => {
    // Issue 12: the counties' yearly figures are no longer withheld on the demo; an area page with a withheld value.
    const [suppressed] = await query(
      `select org_id, indicator_id from marts.scorecard_as_of
       where org_type in ('wellbeing_county', 'collaboration_area', 'sub_area') and is_latest and is_suppressed
       order by org_id, indicator_id limit 1`,
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
    const firstTable = page.locator('table').first();
    await expect.poll(async () => (await firstTable.textContent()) ?? '', { timeout: 45_000 }).toMatch(/\d[\u00a0\u202f ]\d{3}/);
    const table = (await firstTable.textContent()) ?? '';
    expect(table).toMatch(/\d,\d/);
    expect(table).not.toMatch(/\d,\d{3},\d{3}/);
    expect(await page.getByTestId('ytd-visits-value').textContent()).toMatch(/^\s*\d{1,3}([\u00a0\u202f ]\d{3})+\s*$/);
    await page.close();
  });

  it('the implementation page shows marts.service_use_yearly figure by figure, per organiser (county filter), never summing published months', { timeout: 240_000 }, async () => {
    const YTD: FigureSpec[] = [
      { name: 'ytd-visits', column: 'visits', format: { decimals: 0 } },
      { name: 'ytd-visits-prev', column: 'visits_prev_same_months', format: { decimals: 0 } },
      { name: 'ytd-visits-change', column: 'visits_change_ytd', format: { decimals: 0 } },
      { name: 'ytd-cost', column: 'cost_eur', format: { decimals: 0 } },
      { name: 'ytd-cost-prev', column: 'cost_eur_prev_same_months', format: { decimals: 0 } },
      { name: 'ytd-cost-change', column: 'cost_eur_change_ytd', format: { decimals: 0 } },
    ];
    const MUNICIPALITIES: FigureSpec[] = [
      { name: 'Sija', column: 'cost_eur_per_resident_rank', format: { decimals: 0 } },
      { name: 'Kunta', column: 'municipality_name_fi', format: 'text' },
      { name: 'Käynnit', column: 'visits', format: { decimals: 0 } },
      { name: 'Käynnit / 1 000 as.', column: 'visits_per_1000', format: { decimals: 1 } },
      { name: 'Kustannukset (€)', column: 'cost_eur', format: { decimals: 0 } },
      { name: 'Osuus alueen kustannuksista', column: 'cost_eur_share_of_county', format: { percentOf: 1 } },
      { name: '€ / asukas', column: 'cost_eur_per_resident', format: { decimals: 0 } },
      { name: 'Huomautus', column: 'withheld_reason_fi', format: 'text' },
    ];
    const CHANGES: FigureSpec[] = [
      { name: 'Kunta', column: 'municipality_name_fi', format: 'text' },
      { name: 'Erikoisala', column: 'specialty_name_fi', format: 'text' },
      { name: 'Edellisvuosi (€)', column: 'cost_eur_prev_year', format: { decimals: 0 } },
      { name: 'Valittu vuosi (€)', column: 'cost_eur', format: { decimals: 0 } },
      { name: 'Muutos (€)', column: 'cost_eur_change', format: { decimals: 0 } },
    ];
    const [latest] = await query('select max(year) as year from marts.service_use_yearly');
    const year = Number(latest!.year);
    const mart = (where: string, order: string, params: (string | number)[]) =>
      query(`select * from marts.service_use_yearly where year = ${year} and ${where} order by ${order}`, params);
    // The rows of the DataTable of a page query, by the query's name (Evidence's data-testid "DataTable-<query>").
    const readTable = async (page: Page, queryName: string) =>
      (await page.getByTestId(`DataTable-${queryName}`).locator('tr:has(td)').evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
      )).filter((cells) => cells.length > 0);
    const readYtd = async (page: Page) =>
      Object.fromEntries(await Promise.all(YTD.map(async (f) => {
        const el = page.getByTestId(`${f.name}-value`);
        return [f.name, (await el.count()) ? await el.textContent() : undefined] as const;
      })).then((e) => e.filter(([, v]) => v !== undefined))) as Record<string, string | null>;

    const check = async (page: Page, county: string, municipality: string) => {
      const where = `/toteutus (${county}, ${municipality}, ${year})`;
      const [ytd] = await mart(`county_org_id = $1 and municipality_code = $2 and specialty_code = 'ALL' and service_type = 'ALL'`, 'year', [county, municipality]);
      expect(ytd, where).toBeDefined();
      await expect.poll(async () => plainSpaces(await page.getByTestId('shown-area').textContent()), { timeout: 45_000 })
        .toBe(String(ytd!.municipality_name_fi));
      await expect.poll(async () => compareFigures(await readYtd(page), ytd!, YTD), { timeout: 45_000, message: `tiles on ${where}` }).toEqual([]);
      await expect.poll(async () => plainSpaces(await page.getByTestId('population-year').textContent()), { timeout: 15_000 })
        .toContain(String(ytd!.population_fi));
      const municipalities = await mart(`municipality_level = 'municipality' and county_org_id = $1 and specialty_code = 'ALL' and service_type = 'ALL'`,
        'cost_eur_per_resident_rank nulls last, municipality_name_fi', [county]);
      expect(municipalities.length, where).toBeGreaterThan(1);
      await expect.poll(async () => compareTable(await readTable(page, 'by_municipality'), municipalities, MUNICIPALITIES),
        { timeout: 45_000, message: `"Kunnat vertailussa" on ${where}` }).toEqual([]);
      const changes = await mart(`municipality_level = 'municipality' and county_org_id = $1 and specialty_code <> 'ALL' and service_type = 'ALL'
                                  and cost_eur_change_rank <= 15`, 'cost_eur_change_rank, municipality_name_fi, specialty_name_fi', [county]);
      expect(changes.length, where).toBeGreaterThan(0);
      await expect.poll(async () => compareTable((await readTable(page, 'top_changes')).slice(0, 15), changes.slice(0, 15), CHANGES),
        { timeout: 45_000, message: `"Suurimmat muutokset" on ${where}` }).toEqual([]);
    };

    const { page, watch } = await open('/toteutus');
    await check(page, PP, PP); // the default: the first organiser's own total, never both organisers added together
    const [both] = await mart(`municipality_code = 'ALL' and specialty_code = 'ALL' and service_type = 'ALL'`, 'year', []);
    expect(plainSpaces(await page.getByTestId('ytd-visits-value').textContent())).not.toBe(plainSpaces(formatNumberFi(both!.visits, 0)));
    await screenshot(page, 'implementation-pohjois-pohjanmaa');
    // Another organiser: its own total, also while the Kunta dropdown still names the first organiser's total.
    await chooseDropdown(page, 'Hyvinvointialue', 'Kainuun hyvinvointialue');
    await check(page, KAINUU, KAINUU);
    await chooseDropdown(page, 'Kunta', 'Kajaani');
    await check(page, KAINUU, '205');
    await screenshot(page, 'implementation-kainuu');
    expect(plainSpaces(await page.locator('article, main').first().textContent())).not.toContain('Alue yhteensä');
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
    // the change from the base year is the mart's column, not page arithmetic
    const [change] = await query(
      `select visits_change_pct as v from marts.service_need_projection
       where area_code = 'oulunkaari-lakeus' and specialty_code = 'ALL' and service_type = 'ALL' and is_horizon`,
    );
    expect(plainSpaces(await page.getByTestId('foresight-change-value').textContent())).toBe(plainSpaces(`${formatNumberFi(change!.v, 1)} %`));
    // which population the projection divides by, from the mart (the scorecard's and /toteutus's rates say theirs)
    const [settings] = await query('select population_fi from marts.foresight_settings');
    expect(plainSpaces(await page.getByTestId('foresight-population').textContent())).toContain(String(settings!.population_fi));
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

  // ---- nat (issue 17): national comparators on the tiles ----
  it('every strategic tile of the front page shows Finland’s value of the same year beside the area’s (nat)', async () => {
    const { page, watch } = await open('/');
    // the default area (the front-page test above checks the other areas and years with the same tile comparison)
    for (const area of [PP]) {
      const tiles = await query('select * from marts.scorecard_as_of where org_id = $1 and as_of_year = $2 and is_strategic', [area, DEFAULT_YEAR]);
      expect(tiles.length).toBeGreaterThan(0);
      // the tile's Finland line is the mart's, tile by tile (compareTiles checks finland_fi and county_rank_fi)
      await expectTilesEqualMart(page, tiles, `/ (${area}, ${DEFAULT_YEAR})`);
      const rendered = await readTiles(page);
      for (const t of rendered) expect(t.finland, `${area} ${t.indicator}`).toMatch(/^Koko maa/);
      // a Sotkanet indicator shows a number: Sotkanet's value for Finland of the tile's own data year
      const [national] = await query(
        `select a.indicator_id, a.finland_value, a.decimals, a.data_year, r.value as maa
         from marts.scorecard_as_of a join marts.indicator_region_values r
           on r.indicator_id = a.indicator_id and r.region_category = 'MAA' and r.year = a.data_year
         where a.org_id = $1 and a.as_of_year = $2 and a.is_strategic and a.indicator_id = 'net_costs_per_resident'`,
        [area, DEFAULT_YEAR],
      );
      expect(national?.finland_value).toBe(national?.maa);
      const tile = rendered.find((t) => t.indicator === 'net_costs_per_resident');
      expect(tile?.finland).toContain(plainSpaces(formatNumberFi(national?.finland_value, Number(national?.decimals ?? 0))));
    }
    expectClean(watch, '/ (Finland on the tiles)');
    await page.close();
  });
  // ---- end nat ----
  // --- branch perf (issue 20): page-shaped sources, no query engine at hydration ---
  it('the implementation page opens prerendered without a data file, loads the whole cube only when a specialty is chosen and the small totals when all are again, always showing the mart', { timeout: 180_000 }, async () => {
    const parquet = (watch: PageWatch) => watch.requests.filter((r) => r.endsWith('.parquet')).map((r) => r.split('/').at(-1));
    const TILES: FigureSpec[] = [
      { name: 'ytd-visits', column: 'visits', format: { decimals: 0 } },
      { name: 'ytd-cost', column: 'cost_eur', format: { decimals: 0 } },
    ];
    const readTiles = async (page: Page) =>
      Object.fromEntries(await Promise.all(TILES.map(async (f) => [f.name, await page.getByTestId(`${f.name}-value`).textContent()] as const)));
    const [latest] = await query('select max(year) as year from marts.service_use_yearly');
    const total = `select * from marts.service_use_yearly where year = $1 and municipality_code = $2 and service_type = 'ALL' and specialty_code`;
    const [all] = await query(`${total} = 'ALL'`, [Number(latest!.year), PP]);
    // a specialty whose name is in no other's (the dropdown search matches parts: Psykiatria would find Lastenpsykiatria)
    const [specialty] = await query(`${total} <> 'ALL' and visits > 0 and specialty_name_fi not in (
      with names as (select distinct specialty_name_fi as n from marts.service_use_yearly where specialty_name_fi is not null)
      select a.n from names a join names b on a.n <> b.n and contains(lower(b.n), lower(a.n))) order by visits desc limit 1`, [Number(latest!.year), PP]);
    const { page, watch } = await open('/toteutus');
    await expect.poll(async () => compareFigures(await readTiles(page), all!, TILES), { timeout: 45_000 }).toEqual([]);
    await expect.poll(() => page.getByTestId('DataTable-top_changes').locator('tr:has(td)').count(), { timeout: 45_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(2_000); // an absence: give a late request the time to show
    // the default view is prerendered whole: no data file until a filter changes
    expect(parquet(watch)).toEqual([]);
    await chooseDropdown(page, 'Erikoisala', String(specialty!.specialty_name_fi));
    await expect.poll(async () => compareFigures(await readTiles(page), specialty!, TILES), { timeout: 45_000 }).toEqual([]);
    await expect.poll(() => parquet(watch), { timeout: 30_000 }).toEqual(expect.arrayContaining(['service_use.parquet', 'service_use_yearly.parquet']));
    await chooseDropdown(page, 'Erikoisala', 'Kaikki erikoisalat');
    await expect.poll(async () => compareFigures(await readTiles(page), all!, TILES), { timeout: 45_000 }).toEqual([]);
    expect(parquet(watch)).toContain('service_use_yearly_totals.parquet');
    expectClean(watch, '/toteutus (a specialty)');
    await page.close();
  });

  it('the front page shows its prerendered figures without starting the query engine or fetching a data file', async () => {
    const { page, watch } = await open('/');
    await expect.poll(async () => (await page.getByTestId('score-tile-value').allTextContents()).some((t) => /\d/.test(t)), { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => page.locator('button[aria-label="Alue"]').textContent(), { timeout: 30_000 }).toMatch(/Pohjois-Pohjanmaan hyvinvointialue/);
    await page.waitForTimeout(3_000); // an absence: give a late request the time to show
    expect(watch.requests.filter((r) => /duckdb-browser-.*worker|duckdb-(eh|mvp)\..*\.wasm|arrow1_bg\..*\.wasm|\.parquet$/.test(r))).toEqual([]);
    expectClean(watch, '/ (no engine)');
    await page.close();
  });
  // --- end branch perf ---
  // --- branch plan (issue 19): plan against actual on /toteutus ---------------------------------------------------
  /** The plan tables' figures of /toteutus (deviations, group and area lines) after their line's own columns. */
  const PLAN_FIGURES: FigureSpec[] = [
    { name: 'Sopimus (€)', column: 'plan_ytd', format: { decimals: 0 } },
    { name: 'Toteuma (€)', column: 'actual_ytd', format: { decimals: 0 } },
    { name: 'Poikkeama (€)', column: 'deviation_ytd', format: { decimals: 0 } },
    { name: 'Poikkeama (%)', column: 'deviation_ytd_pct', format: { decimals: 1 } },
    { name: 'Ennuste (€)', column: 'forecast', format: { decimals: 0 } },
    { name: 'Tila', column: 'status_fi', format: 'text' },
  ];
  it('/toteutus 2025 shows plan, deviation and forecast for the organiser and a chosen municipality, equal to the marts', { timeout: 240_000 }, async () => {
    const TILES: FigureSpec[] = [
      { name: 'plan-year', column: 'plan_year', format: { decimals: 0 } },
      { name: 'plan-ytd', column: 'plan_ytd', format: { decimals: 0 } },
      { name: 'plan-actual-ytd', column: 'actual_ytd', format: { decimals: 0 } },
      { name: 'plan-deviation', column: 'deviation_ytd', format: { decimals: 0 } },
      { name: 'plan-deviation-pct', column: 'deviation_ytd_pct', format: { decimals: 1 } },
      { name: 'plan-forecast', column: 'forecast', format: { decimals: 0 } },
      { name: 'plan-forecast-low', column: 'forecast_low', format: { decimals: 0 } },
      { name: 'plan-forecast-high', column: 'forecast_high', format: { decimals: 0 } },
      { name: 'plan-forecast-pct', column: 'forecast_vs_plan_pct', format: { decimals: 1 } },
    ];
    const DEVIATIONS: FigureSpec[] = [
      { name: 'Kunta', column: 'municipality_name_fi', format: 'text' },
      { name: 'Erikoisala', column: 'specialty_name_fi', format: 'text' },
      ...PLAN_FIGURES,
    ];
    const YEAR = 2025;
    const forecast = (where: string, params: string[]) =>
      query(`select * from marts.plan_forecast where year = ${YEAR} and measure = 'cost_eur' and service_type = 'ALL' and ${where}`, params);
    // The tiles without their unit ("−3,0 %" shows the mart's −3,0).
    const readPlanTiles = async (page: Page) =>
      Object.fromEntries(await Promise.all(TILES.map(async (t) => [t.name, ((await page.getByTestId(`${t.name}-value`).textContent()) ?? '').replace('%', '')] as const)));
    const check = async (page: Page, county: string, municipality: string) => {
      const where = `/toteutus plan (${county}, ${municipality}, ${YEAR})`;
      const [row] = await forecast(`organiser = $1 and municipality_code = $2 and specialty_code = 'ALL'`, [county, municipality]);
      expect(row, where).toBeDefined();
      expect(row!.is_withheld, where).toBe(false);
      await expect.poll(async () => compareFigures(await readPlanTiles(page), row!, TILES), { timeout: 45_000, message: `plan tiles on ${where}` }).toEqual([]);
      await expect.poll(async () => plainSpaces(await page.getByTestId('plan-status').textContent()), { timeout: 15_000 }).toBe(String(row!.status_fi ?? '–'));
      expect(plainSpaces(await page.getByTestId('plan-version').textContent())).toBe(String(row!.agreement_version));
      const deviations = await forecast(`organiser = $1 and municipality_level in ('municipality', 'area') and specialty_code <> 'ALL' and deviation_rank <= 15
                                         order by deviation_rank`, [county]);
      expect(deviations.length, where).toBeGreaterThan(0);
      const table = async () =>
        (await page.getByTestId('DataTable-plan_deviations').locator('tr:has(td)').evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
        )).filter((cells) => cells.length > 0);
      await expect.poll(async () => compareTable((await table()).slice(0, 15), deviations, DEVIATIONS),
        { timeout: 45_000, message: `deviations on ${where}` }).toEqual([]);
    };
    const { page, watch } = await open('/toteutus');
    await chooseDropdown(page, 'Vuosi', String(YEAR));
    await check(page, PP, PP);
    await chooseDropdown(page, 'Hyvinvointialue', 'Kainuun hyvinvointialue');
    await check(page, KAINUU, KAINUU); // the corrected agreement (version 2) is the one shown
    await chooseDropdown(page, 'Kunta', 'Kajaani');
    await check(page, KAINUU, '205');
    await page.getByTestId('plan-year').scrollIntoViewIfNeeded();
    await screenshot(page, 'implementation-plan-kajaani');
    expectClean(watch, '/toteutus (plan)');
    await page.close();
  });
  it('/palvelualueet/<area> shows the service area budget as plan, deviation and forecast equal to marts.budget_vs_actual, and its indicator tiles', { timeout: 120_000 }, async () => {
    const AREA_TILES: FigureSpec[] = [
      { name: 'area-budget', column: 'budget_year', format: { decimals: 0 } },
      { name: 'area-budget-ytd', column: 'budget_ytd', format: { decimals: 0 } },
      { name: 'area-actual-ytd', column: 'actual_ytd', format: { decimals: 0 } },
      { name: 'area-deviation', column: 'deviation_ytd', format: { decimals: 0 } },
      { name: 'area-forecast', column: 'forecast', format: { decimals: 0 } },
      { name: 'area-forecast-low', column: 'forecast_low', format: { decimals: 0 } },
      { name: 'area-forecast-high', column: 'forecast_high', format: { decimals: 0 } },
      { name: 'area-forecast-pct', column: 'forecast_vs_budget_pct', format: { decimals: 1 } },
    ];
    const [row] = await query(`select * from marts.budget_vs_actual where organisation_code = 'kai-sairaala' and account_group = 'erikoissairaanhoito'
                               order by year desc limit 1`);
    expect(row).toBeDefined();
    // The index links every service area (checked by its href: clicking would abort the index page's own loads).
    const index = await open('/palvelualueet');
    await expect.poll(() => index.page.getByRole('link', { name: 'Sairaalapalvelut, Kainuu' }).getAttribute('href'), { timeout: 30_000 })
      .toMatch(/\/palvelualueet\/kai-sairaala\/?$/);
    expectClean(index.watch, '/palvelualueet');
    await index.page.close();
    const { page, watch } = await open('/palvelualueet/kai-sairaala');
    const readAreaTiles = async () =>
      Object.fromEntries(await Promise.all(AREA_TILES.map(async (t) => [t.name, ((await page.getByTestId(`${t.name}-value`).textContent()) ?? '').replace('%', '')] as const)));
    await expect.poll(async () => compareFigures(await readAreaTiles(), row!, AREA_TILES), { timeout: 45_000 }).toEqual([]);
    expect(plainSpaces(await page.getByTestId('area-status').textContent())).toBe(String(row!.status_fi ?? '–'));
    // The registry indicator "Ennuste / talousarvio, %" is one of the area's tiles.
    await expect.poll(async () => (await page.locator('article, main').first().textContent()) ?? '', { timeout: 30_000 }).toContain('Ennuste / talousarvio, %');
    expectClean(watch, '/palvelualueet/kai-sairaala');
    await page.close();
  });
  // --- end of branch plan ------------------------------------------------------------------------------------------
  // ── branch road (issue 16 part 1): /tiekartta, /strategiakartta, selections in the URL ──────────────────────────
  /** A DataTable's body rows as cell texts (its test id is DataTable-<query name>). */
  const tableRows = async (page: Page, queryName: string): Promise<string[][]> =>
    (await page.getByTestId(`DataTable-${queryName}`).locator('tr:has(td)').evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    )).filter((cells) => cells.length > 0);
  const dropdownText = async (page: Page, title: string) => plainSpaces(await page.locator(`button[aria-label="${title}"]`).first().textContent());

  const DISTANCE: FigureSpec[] = [
    { name: 'Vuosi', column: 'year', format: 'text' },
    { name: 'Hyvinvointihyöty', column: 'welfare_score', format: { decimals: 1 } },
    { name: 'Kustannushyöty', column: 'cost_score', format: { decimals: 1 } },
    { name: 'Nelikenttä', column: 'quadrant', format: 'text' },
    { name: 'Etäisyys tavoitteesta', column: 'distance', format: { decimals: 1 } },
  ];

  it('/tiekartta for every 2011 collaboration area and both counties: the target state, the distance per year as in marts.target_states, late milestones flagged', async () => {
    const areas = await query(`select distinct t.org_id, t.org_name_fi from marts.target_states t order by t.org_id`);
    const types = await query(`select organisation_code from marts.organisations where organisation_type in ('wellbeing_county', 'collaboration_area', 'sub_area')`);
    expect(areas.map((a) => a.org_id).sort()).toEqual(types.map((t) => t.organisation_code).sort());
    let lateSeen = 0;
    const { page, watch } = await open('/tiekartta');
    let shown = PP; // the page opens on the default area
    for (const area of areas) {
      const id = String(area.org_id);
      const where = `/tiekartta (${id})`;
      if (id !== shown) await chooseDropdown(page, 'Alue', String(area.org_name_fi));
      shown = id;
      await expect.poll(() => dropdownText(page, 'Alue'), { timeout: 30_000, message: where }).toContain(String(area.org_name_fi));
      const years = await query(`select * from marts.target_states where org_id = $1 order by year`, [id]);
      expect(years.length, where).toBeGreaterThan(1);
      await expect.poll(async () => compareTable(await tableRows(page, 'distance'), years, DISTANCE), { timeout: 30_000, message: `distance table on ${where}` }).toEqual([]);
      const last = years[years.length - 1]!;
      const target = plainSpaces(await page.getByTestId('target-state').textContent());
      for (const [column, decimals] of [['target_welfare_score', 1], ['target_cost_score', 1], ['distance', 1]] as const) {
        expect(target, `${column} on ${where}`).toContain(plainSpaces(formatNumberFi(last[column], decimals)));
      }
      expect(target).toContain(String(last.target_quadrant));
      expect(target).toContain(String(last.target_year));
      const late = await query(`select milestone_name_fi from marts.milestones where org_id = $1 and is_late order by initiative_id, milestone_no`, [id]);
      await expect.poll(() => page.getByTestId('late-milestone').count(), { timeout: 15_000, message: `late milestones on ${where}` }).toBe(late.length);
      const flagged = (await page.getByTestId('late-milestone').allTextContents()).map((t) => plainSpaces(t));
      for (const [i, m] of late.entries()) {
        expect(flagged[i]).toContain(String(m.milestone_name_fi));
        expect(flagged[i]).toContain('myöhässä');
      }
      lateSeen += late.length;
      const initiatives = await query(`select initiative_name_fi from marts.initiatives where org_id = $1`, [id]);
      expect(await page.getByTestId('roadmap-timeline').locator('[data-initiative]').count(), where).toBe(initiatives.length);
      expect(await page.getByTestId('example-notice').count(), where).toBe(1);
      await expectNoBrokenTexts(page, where);
      if (id === 'oulunkaari') await screenshot(page, 'roadmap-oulunkaari');
    }
    expectClean(watch, '/tiekartta');
    await page.close();
    expect(lateSeen).toBeGreaterThan(0);
  }, 600_000);

  it('/strategiakartta: objectives per perspective → their indicators\' status (marts.scorecard_as_of) → initiatives, for the chosen area and year', async () => {
    const expected = (area: string, year: number, perspective: string) =>
      query(
        `select o.objective_name_fi, o.owner, o.indicator_name_fi, s.value_fi, s.unit, cast(s.data_year as varchar) as data_year,
                coalesce(s.status_fi, 'ei tietoa') as status_fi, o.initiatives_fi
         from marts.objectives o
         left join marts.scorecard_as_of s on s.org_id = o.org_id and s.indicator_id = o.indicator_id and s.as_of_year = $2
         where o.org_id = $1 and o.perspective = $3
         order by o.objective_sort, o.indicator_sort`,
        [area, year, perspective],
      );
    const SPEC: FigureSpec[] = ['objective_name_fi', 'owner', 'indicator_name_fi', 'value_fi', 'unit', 'data_year', 'status_fi', 'initiatives_fi'].map((c) => ({
      name: c,
      column: c,
      format: 'text' as const,
    }));
    const check = async (page: Page, area: string, year: number) => {
      for (const perspective of ['customer', 'process', 'finance', 'competence']) {
        const rows = await expected(area, year, perspective);
        expect(rows.length, `${area} ${perspective}`).toBeGreaterThan(0);
        await expect
          .poll(async () => compareTable(await tableRows(page, `map_${perspective}`), rows, SPEC), { timeout: 30_000, message: `${perspective} on /strategiakartta (${area}, ${year})` })
          .toEqual([]);
      }
    };
    const { page, watch } = await open('/strategiakartta');
    await check(page, PP, DEFAULT_YEAR);
    await chooseDropdown(page, 'Alue', 'Oulunkaari');
    await chooseDropdown(page, 'Vuosi', '2020');
    await expect.poll(() => dropdownText(page, 'Alue'), { timeout: 30_000 }).toContain('Oulunkaari');
    expect(await dropdownText(page, 'Vuosi')).toContain('2020');
    await check(page, 'oulunkaari', 2020);
    const statuses = (await expected('oulunkaari', 2020, 'customer')).map((r) => r.status_fi);
    expect(statuses.some((s) => s !== 'ei tietoa')).toBe(true);
    await screenshot(page, 'strategy-map-oulunkaari');
    expectClean(watch, '/strategiakartta');
    await page.close();
  }, 300_000);

  // ── end of branch road ───────────────────────────────────────────────────────────────────────────────────────────

  // ---- branch pack (issue 16 part 2): comments on tiles and indicator pages, the board report, board packs ----
  it('a tile with comments has a marker, a button with aria-expanded, that opens the mart\'s comments from the keyboard', async () => {
    // The front page's tiles (area PP, the default year): comments of the tile's indicator from its data year up to the year.
    const expected = await query(
      `select c.indicator_id, c.comment_text from marts.commentary c
       join marts.scorecard_as_of s on s.indicator_id = c.indicator_id and s.org_id = c.org_id
       where c.org_id = $1 and s.as_of_year = $2 and s.is_strategic and c.year between s.data_year and s.as_of_year
       order by c.indicator_id, c.period_start, c.kind_sort, c.author_role`,
      [PP, DEFAULT_YEAR],
    );
    expect(expected.length).toBeGreaterThan(0);
    const { page, watch } = await open('/');
    const markers = page.getByTestId('comment-marker');
    await expect.poll(() => markers.count(), { timeout: 30_000 }).toBe(new Set(expected.map((e) => e.indicator_id)).size);
    const first = String(expected[0]!.indicator_id);
    const tile = page.locator(`[data-testid="score-tile"][data-indicator="${first}"]`);
    const marker = tile.getByTestId('comment-marker');
    expect(await marker.getAttribute('aria-expanded')).toBe('false');
    expect(await tile.getByTestId('comment-text').first().isVisible()).toBe(false);
    // The prerendered page shows the marker before it has hydrated: press Enter until the button answers.
    await expect
      .poll(async () => {
        await marker.focus();
        await page.keyboard.press('Enter');
        return marker.getAttribute('aria-expanded');
      }, { timeout: 30_000, interval: 1_000 })
      .toBe('true');
    expect(await tile.getByTestId('comment-text').allTextContents()).toEqual(expected.filter((e) => e.indicator_id === first).map((e) => e.comment_text));
    await screenshot(page, 'tile-comments');
    await page.keyboard.press('Space');
    await expect.poll(() => marker.getAttribute('aria-expanded')).toBe('false');
    expectClean(watch, '/ (comments)');
    await page.close();
  });

  it('an indicator page shows the mart\'s comments on the indicator', async () => {
    const expected = await query(`select comment_text from marts.commentary where indicator_id = 'aged_75_at_home' order by comment_text`);
    expect(expected.length).toBeGreaterThan(1);
    const { page, watch } = await open('/indikaattorit/aged_75_at_home');
    const texts = page.getByTestId('comment-text');
    await expect.poll(() => texts.count(), { timeout: 30_000 }).toBe(expected.length);
    expect((await texts.allTextContents()).sort()).toEqual(expected.map((e) => e.comment_text).sort());
    expectClean(watch, '/indikaattorit/aged_75_at_home');
    await page.close();
  });

  it('the board report of a period shows every strategic indicator and the comments of that period from the marts', async () => {
    const rows = await query(
      `select indicator_id, value_fi, target_fi, status_fi, period_label, is_suppressed from marts.board_report_indicators
       where org_id = $1 and as_of_year = 2024 order by indicator_id`,
      [PP],
    );
    const [strategic] = await query(`select count(*)::integer as n from marts.indicator_dictionary where is_strategic`);
    expect(rows.length).toBe(strategic!.n);
    const comments = await query(`select comment_text from marts.commentary where org_id = $1 and year = 2024`, [PP]);
    const { page, watch } = await open(`/raportti/${PP}`);
    await chooseDropdown(page, 'Kausi', '2024');
    await page.getByText('kausi 2024 ·').waitFor({ timeout: 30_000 });
    // the chosen period's rows and comments, not the previous period's
    await expect.poll(() => page.locator('[data-testid="report-row"][data-year="2024"]').count(), { timeout: 30_000 }).toBe(rows.length);
    expect(await page.getByTestId('report-row').count()).toBe(rows.length);
    await expect.poll(() => page.locator('[data-testid="comment"][data-year="2024"]').count(), { timeout: 30_000 }).toBe(comments.length);
    for (const r of rows) {
      const cells = (await page.locator(`[data-testid="report-row"][data-indicator="${r.indicator_id}"]`).locator('td').allTextContents()).map(plainSpaces);
      expect(cells.slice(1), String(r.indicator_id)).toEqual(
        [r.is_suppressed ? '– (salattu)' : (r.value_fi ?? '–'), r.target_fi ?? '–', r.status_fi, r.period_label].map((v) => plainSpaces(String(v))),
      );
    }
    expect((await page.getByTestId('comment-text').allTextContents()).sort()).toEqual(comments.map((c) => c.comment_text).sort());
    await screenshot(page, 'board-report');
    expectClean(watch, `/raportti/${PP}`);
    await page.close();
  });

  it('board-pack prints the report to a PDF whose text has the organisation, the period, every strategic indicator and the period\'s comments', { timeout: 300_000 }, async () => {
    const outDir = join(tmp.dir, 'board-packs');
    const [pack] = await writeBoardPacks({ warehousePath: warehouse, siteDir: BUILD_DIR, outDir, org: PP, period: '2024', log: createLogger(() => {}) });
    expect(pack!.file).toBe(join(outDir, PP, '2024.pdf'));
    // linked from the report page and served by the site
    const { page, watch } = await open(`/raportti/${PP}`);
    await chooseDropdown(page, 'Kausi', '2024');
    const href = await page.getByTestId('board-pack-link').getAttribute('href');
    expect(href).toBe(`/board-packs/${PP}/2024.pdf`);
    const served = await fetch(new URL(href!.slice(1), site.url));
    expect([served.status, served.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expectClean(watch, `/raportti/${PP} (PDF link)`);
    await page.close();
    const text = plainSpaces(execFileSync('pdftotext', ['-raw', pack!.file, '-'], { encoding: 'utf8' }));
    const names = await query(`select indicator_name_fi from marts.board_report_indicators where org_id = $1 and as_of_year = 2024`, [PP]);
    const comments = await query(`select comment_text from marts.commentary where org_id = $1 and year = 2024`, [PP]);
    expect(text).toContain('Pohjois-Pohjanmaan hyvinvointialue');
    expect(text).toContain('Kausi: 2024');
    for (const n of names) expect(text, 'indicator name').toContain(plainSpaces(String(n.indicator_name_fi)));
    for (const c of comments) expect(text, 'comment').toContain(plainSpaces(String(c.comment_text)));
    // the print header on every page: organisation, the page and period, the data date and the print date
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pack!.file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(0);
    expect(text.match(/Tulostettu/g)?.length).toBe(pages);
    expect(text.match(/Kausi: 2024/g)?.length).toBeGreaterThanOrEqual(pages);
    // pages as PNG for a visual check (test-results/screenshots/board-pack-<n>.png)
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '70', pack!.file, join(SCREENSHOT_DIR, 'board-pack')]);
  });

  // ---- nat2 (issue 17): the dual model's municipal rows and its series break ----
  it('the front page lists the municipalities on the dual model against all municipalities, and the chosen area\'s years with their series break, as the marts say (nat2)', async () => {
    const { page, watch } = await open('/');
    const municipal = await query(
      `select * from marts.dual_model_as_of where as_of_year = $1 and org_type = 'municipality' order by label_fi`,
      [DEFAULT_YEAR],
    );
    expect(municipal.length).toBeGreaterThanOrEqual(30);
    for (const m of municipal) expect(Number(m.peer_n), String(m.org_id)).toBeGreaterThanOrEqual(290);
    const MUNICIPAL: FigureSpec[] = [
      { name: 'Alue', column: 'label_fi', format: 'text' },
      { name: 'Hyvinvointihyöty', column: 'welfare_score', format: { decimals: 1 } },
      { name: 'Kustannushyöty', column: 'cost_score', format: { decimals: 1 } },
      { name: 'Nelikenttä', column: 'quadrant', format: 'text' },
      { name: 'Vertailukuntia', column: 'peer_n', format: { decimals: 0 } },
    ];
    // the table's first page (10 rows) in the mart's order
    await expect.poll(async () => compareTable(await tableRows(page, 'dual_municipalities'), municipal.slice(0, 10), MUNICIPAL),
      { timeout: 45_000, message: 'municipal dual model table on /' }).toEqual([]);
    const years = await query(`select * from marts.dual_model where org_id = $1 order by year`, [PP]);
    expect(years.some((y) => y.series_break_fi !== null)).toBe(true);
    const PATH: FigureSpec[] = [
      { name: 'Vuosi', column: 'year', format: 'text' },
      { name: 'Hyvinvointihyöty', column: 'welfare_score', format: { decimals: 1 } },
      { name: 'Kustannushyöty', column: 'cost_score', format: { decimals: 1 } },
      { name: 'Nelikenttä', column: 'quadrant', format: 'text' },
      { name: 'Sarjakatkos', column: 'series_break_fi', format: 'text' },
    ];
    await expect.poll(async () => compareTable(await tableRows(page, 'dual_path'), years, PATH),
      { timeout: 45_000, message: 'dual model years of the default area on /' }).toEqual([]);
    expectClean(watch, '/ (dual model, municipalities)');
    await page.close();
  });
  // ---- end nat2 ----
  // ── branch url (issue 16): selections in the URL query (components/UrlDropdown.svelte, docs/roadmap.md) ─────────
  /** The page's URL query value of an input. */
  const urlParam = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

  it('a URL with an area and a year opens the front page on them (the marts of that area and year, not the default), and a choice writes the URL', async () => {
    const [area, year] = ['oulunkaari', 2020];
    const { page, watch } = await open(`/?area=${area}&year=${year}`);
    const check = async (y: number) => {
      const where = `/?area=${area}&year=${y}`;
      const tiles = await query('select * from marts.scorecard_as_of where org_id = $1 and as_of_year = $2 and is_strategic', [area, y]);
      expect(tiles.length, where).toBeGreaterThan(0);
      await expectTilesEqualMart(page, tiles, where);
      const scores = await query(
        `select score_0_100 from marts.perspective_scores_as_of where org_id = $1 and as_of_year = $2
         order by case perspective when 'customer' then 1 when 'process' then 2 when 'finance' then 3 else 4 end`,
        [area, y],
      );
      await expect
        .poll(async () => (await page.getByTestId('perspective-score').allTextContents()).map((t) => plainSpaces(t)), { timeout: 15_000, message: where })
        .toEqual(scores.map((r) => plainSpaces(formatNumberFi(r.score_0_100, 0))));
    };
    await expect.poll(() => dropdownText(page, 'Alue'), { timeout: 30_000 }).toContain('Oulunkaari');
    expect(await dropdownText(page, 'Vuosi')).toContain(String(year));
    await check(year);
    // the default's figures differ, so the check above could not pass on them
    const defaults = await query('select value from marts.scorecard_as_of where org_id = $1 and as_of_year = $2 and is_strategic', [PP, DEFAULT_YEAR]);
    const chosen = await query('select value from marts.scorecard_as_of where org_id = $1 and as_of_year = $2 and is_strategic', [area, year]);
    expect(chosen.map((r) => r.value)).not.toEqual(defaults.map((r) => r.value));
    await chooseDropdown(page, 'Vuosi', String(DEFAULT_YEAR));
    await expect.poll(() => urlParam(page, 'year'), { timeout: 15_000 }).toBe(String(DEFAULT_YEAR));
    expect(urlParam(page, 'area')).toBe(area);
    await check(DEFAULT_YEAR);
    expectClean(watch, '/?area&year');
    await page.close();
  }, 300_000);

  it('/tiekartta?area=… and /strategiakartta?area=…&year=… open on that area and year, equal to the marts; a choice writes the URL', async () => {
    const road = await open('/tiekartta?area=kainuu');
    const years = await query(`select * from marts.target_states where org_id = 'kainuu' order by year`);
    await expect.poll(() => dropdownText(road.page, 'Alue'), { timeout: 30_000 }).toMatch(/Kainuu$/); // not 'Kainuun hyvinvointialue'
    await expect
      .poll(async () => compareTable(await tableRows(road.page, 'distance'), years, DISTANCE), { timeout: 30_000, message: '/tiekartta?area=kainuu' })
      .toEqual([]);
    const initiatives = await query(`select start_date_fi, end_date_fi from marts.initiatives where org_id = 'kainuu' order by initiative_sort`);
    await expect
      .poll(async () => (await tableRows(road.page, 'initiative_table')).map((c) => plainSpaces(c[2] ?? '')), { timeout: 30_000 })
      .toEqual(initiatives.map((r) => `${r.start_date_fi}–${r.end_date_fi}`));
    expect(String(initiatives[0]?.start_date_fi)).toMatch(/^\d{1,2}\.\d{1,2}\.\d{4}$/);
    await chooseDropdown(road.page, 'Alue', 'Lakeus');
    await expect.poll(() => urlParam(road.page, 'area'), { timeout: 15_000 }).toBe('lakeus');
    expectClean(road.watch, '/tiekartta?area=kainuu');
    await road.page.close();

    const map = await open('/strategiakartta?area=oulunkaari&year=2020');
    await expect.poll(() => dropdownText(map.page, 'Alue'), { timeout: 30_000 }).toContain('Oulunkaari');
    expect(await dropdownText(map.page, 'Vuosi')).toContain('2020');
    const rows = await query(
      `select o.objective_name_fi, o.indicator_name_fi, coalesce(s.status_fi, 'ei tietoa') as status_fi
       from marts.objectives o
       left join marts.scorecard_as_of s on s.org_id = o.org_id and s.indicator_id = o.indicator_id and s.as_of_year = 2020
       where o.org_id = 'oulunkaari' and o.perspective = 'customer' order by o.objective_sort, o.indicator_sort`,
    );
    expect(rows.length).toBeGreaterThan(0);
    const SPEC: FigureSpec[] = [
      { name: 'Tavoite', column: 'objective_name_fi', format: 'text' },
      { name: 'Mittari', column: 'indicator_name_fi', format: 'text' },
      { name: 'Tila', column: 'status_fi', format: 'text' },
    ];
    await expect
      .poll(async () => compareTable((await tableRows(map.page, 'map_customer')).map((r) => [r[0]!, r[2]!, r[6]!]), rows, SPEC), { timeout: 30_000 })
      .toEqual([]);
    expectClean(map.watch, '/strategiakartta?area=oulunkaari&year=2020');
    await map.page.close();
  }, 300_000);
  // ── end of branch url ─────────────────────────────────────────────────────────────────────────────────────────────
  // --- branch plan2 (issue 19 leftovers): specialty-group / area lines on /toteutus, unit budgets on /palvelualueet ---
  it('/toteutus 2025 lists the organiser\'s specialty-group and area agreement lines equal to marts.plan_forecast', { timeout: 180_000 }, async () => {
    const GROUPS: FigureSpec[] = [
      { name: 'Alue', column: 'municipality_name_fi', format: 'text' },
      { name: 'Erikoisala tai ryhmä', column: 'specialty_name_fi', format: 'text' },
      { name: 'Sopimus, vuosi (€)', column: 'plan_year', format: { decimals: 0 } },
      ...PLAN_FIGURES,
    ];
    const rows = (await query(`select * from marts.plan_forecast where organiser = $1 and year = 2025 and measure = 'cost_eur' and service_type = 'ALL'
                                and (specialty_level = 'group' or municipality_level = 'area') order by municipality_name_fi, specialty_name_fi`, [KAINUU]))
      .map((r): Record<string, unknown> => ({ ...r, status_fi: r.status_fi ?? '–' }));
    expect(rows.map((r) => `${r.municipality_code} ${r.specialty_code}`)).toEqual(['205 konservatiiviset', '205 operatiiviset', '205 psykiatria']);
    const { page, watch } = await open('/toteutus');
    await chooseDropdown(page, 'Vuosi', '2025');
    await chooseDropdown(page, 'Hyvinvointialue', 'Kainuun hyvinvointialue');
    await expect.poll(async () => compareTable(await tableRows(page, 'plan_groups'), rows, GROUPS), { timeout: 45_000, message: 'plan groups' }).toEqual([]);
    await page.getByTestId('DataTable-plan_groups').scrollIntoViewIfNeeded();
    await screenshot(page, 'implementation-plan-groups');
    expectClean(watch, '/toteutus (groups)');
    await page.close();
  });
  it('/palvelualueet/<area> shows its units\' budgets of visits and staffing against their own data, equal to marts.budget_vs_actual', { timeout: 120_000 }, async () => {
    const UNITS: FigureSpec[] = [
      { name: 'Toimintayksikkö', column: 'organisation_name_fi', format: 'text' },
      { name: 'Vuosi', column: 'year', format: { decimals: 0 } },
      { name: 'Tiliryhmä', column: 'account_group', format: 'text' },
      { name: 'Yksikkö', column: 'unit_fi', format: 'text' },
      { name: 'Talousarvio', column: 'budget_year', format: { decimals: 1 } },
      { name: 'Talousarvio vuoden alusta', column: 'budget_ytd', format: { decimals: 1 } },
      { name: 'Toteuma', column: 'actual_ytd', format: { decimals: 1 } },
      { name: 'Poikkeama', column: 'deviation_ytd', format: { decimals: 1 } },
      { name: 'Ennuste', column: 'forecast', format: { decimals: 1 } },
      { name: 'Ennuste / talousarvio (%)', column: 'forecast_vs_budget_pct', format: { decimals: 1 } },
      { name: 'Tila', column: 'status_fi', format: 'text' },
    ];
    const rows = (await query(`select * from marts.budget_vs_actual where organisation_level = 'unit' and service_area_code = 'kai-terveysasemat'
                                order by year desc, organisation_name_fi, account_group`)).map((r): Record<string, unknown> => ({ ...r, status_fi: r.status_fi ?? '–' }));
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.filter((r) => r.actual_source === 'unit_data' && r.actual_ytd !== null).length).toBeGreaterThan(4);
    const { page, watch } = await open('/palvelualueet/kai-terveysasemat');
    await expect.poll(async () => compareTable(await tableRows(page, 'unit_budgets'), rows, UNITS), { timeout: 45_000, message: 'unit budgets' }).toEqual([]);
    await page.getByTestId('DataTable-unit_budgets').scrollIntoViewIfNeeded();
    await screenshot(page, 'service-area-unit-budgets');
    expectClean(watch, '/palvelualueet/kai-terveysasemat');
    await page.close();
  });
  // --- end of branch plan2 -------------------------------------------------------------------------------------------
  // --- branch web (issue 20): the chart pages' first number, query results carried by the page ----------------------
  it('a chart page shows its table figures, then draws every chart; its query results come inside the page, not as requests (no warning)', async () => {
    for (const [path, minCharts] of [['/ennakointi/skenaariot', 4], ['/toteutus', 2]] as const) {
      const { page, watch } = await open(path);
      await expect.poll(async () => (await page.locator('td, [data-testid$="-value"]').allTextContents()).some((t) => /\d/.test(t)), { timeout: 30_000 }).toBe(true);
      const charts = await page.locator('.chart-container').count();
      expect(charts).toBeGreaterThanOrEqual(minCharts);
      // each chart draws after the figures, into a canvas of its own
      await expect.poll(() => page.locator('.chart-container canvas').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(charts);
      // the query list and the results are SvelteKit's inlined responses (pipelines/site-preload.ts); the manifest is preloaded
      const inlined = await page.locator('script[data-sveltekit-fetched]').evaluateAll((s) => s.map((e) => e.getAttribute('data-url') ?? ''));
      expect(inlined.filter((u) => u.startsWith('/api/prerendered_queries/')).length).toBeGreaterThan(5);
      expect(inlined.some((u) => u.endsWith('/all-queries.json'))).toBe(true);
      const preloads = await page.locator('link[rel=preload][as=fetch]').evaluateAll((links) => links.map((l) => new URL((l as HTMLLinkElement).href).pathname));
      expect(preloads).toEqual(['/data/manifest.json']);
      await page.waitForTimeout(4_000); // Chromium warns of a preload left unused a few seconds after the load
      expect(watch.requests.filter((r) => r.startsWith('/api/prerendered_queries/') || r.endsWith('/all-queries.json'))).toEqual([]);
      expectClean(watch, `${path} (charts, inlined query results)`);
      await page.close();
    }
  });
  it('every page type shows its first number in the prerendered page, and the same number after hydration (no blank, no other value)', { timeout: 300_000 }, async () => {
    /** The first element the bench counts as a number shown (bench/pages.ts), as its test id or tag and its text. */
    const firstNumber = (selector: string) =>
      Array.from(document.querySelectorAll(selector))
        .filter((e) => /\d/.test(e.textContent ?? ''))
        .map((e) => `${e.getAttribute('data-testid') ?? e.tagName.toLowerCase()}: ${(e.textContent ?? '').trim()}`)[0] ?? '';
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      for (const [name, path] of await benchPageTypes(warehouse)) {
        const url = new URL(path.slice(1), site.url).href;
        const html = await noScript.newPage();
        await html.goto(url, { waitUntil: 'domcontentloaded' });
        const prerendered = await html.evaluate(firstNumber, NUMBER_SHOWN);
        await html.close();
        expect(prerendered, `${name} (${path}): a number in the prerendered HTML`).toMatch(/\d/);

        const page = await browser.newPage();
        const watch = watchPage(page, site.url);
        // every state of the first number from the document's start until after hydration, as the browser could paint it
        await page.addInitScript(({ selector }) => {
          const seen: string[] = [];
          (window as unknown as { __firstNumbers: string[] }).__firstNumbers = seen;
          new MutationObserver(() => {
            const first = Array.from(document.querySelectorAll(selector)).find((e) => /\d/.test(e.textContent ?? ''));
            seen.push(first ? `${first.getAttribute('data-testid') ?? first.tagName.toLowerCase()}: ${(first.textContent ?? '').trim()}` : '');
          }).observe(document, { childList: true, subtree: true, characterData: true });
        }, { selector: NUMBER_SHOWN });
        await page.goto(url, { waitUntil: 'domcontentloaded' });
        // the app has started when the layout has taken the prerendered selections out of the document
        await page.waitForFunction(() => !document.getElementById('tj-prerendered-inputs') && document.querySelector('#evidence-main-article h1'), undefined, { timeout: 30_000 });
        await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
        await page.waitForTimeout(1_500);
        const seen = await page.evaluate(() => (window as unknown as { __firstNumbers: string[] }).__firstNumbers);
        const shown = seen.slice(seen.indexOf(prerendered));
        expect(shown.length, `${name} (${path}): the prerendered number was on the page`).toBeGreaterThan(0);
        expect([...new Set(shown)], `${name} (${path}): the first number from the prerendered page to after hydration`).toEqual([prerendered]);
        expectClean(watch, `${path} (first number before hydration)`);
        await page.close();
      }
    } finally {
      await noScript.close();
    }
  });

  it('/toteutus: the prerendered tiles are the mart figures of the default view', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(new URL('toteutus', site.url).href, { waitUntil: 'domcontentloaded' });
    // the default view: the first organiser's own total, every specialty and service type, the latest year
    const [ytd] = await query(`select * from marts.service_use_yearly where county_org_id = $1 and municipality_code = $1
                               and specialty_code = 'ALL' and service_type = 'ALL' and year = (select max(year) from marts.service_use_yearly)`, [PP]);
    expect(ytd).toBeDefined();
    expect(plainSpaces(await page.getByTestId('shown-area').textContent())).toBe(String(ytd!.municipality_name_fi));
    expect(plainSpaces(await page.getByTestId('ytd-visits-value').textContent())).toBe(plainSpaces(formatNumberFi(ytd!.visits, 0)));
    expect(plainSpaces(await page.getByTestId('ytd-cost-value').textContent())).toBe(plainSpaces(formatNumberFi(ytd!.cost_eur, 0)));
    await noScript.close();
  });
  // --- end of branch web ---
  // --- branch refresh (issue 20): the data-only refresh, against this describe's full build ---------------------------
  it('a data-only refresh of new data publishes the new numbers and date with the full build\'s bundles; every other page shows what the full build\'s shows', async () => {
    const log = createLogger(); // the build's log says data-only or why not
    const frame = loadConfig().site.frame!;
    const refreshTmp = tempDir('tj-refresh-');
    const sourceData = join(projectRoot, SOURCE_DATA_DIR);
    const full = join(refreshTmp.dir, 'full');
    const refreshed = join(refreshTmp.dir, 'refreshed');
    // this describe's site and the Swedish build's sources stay as they were (./build is served; sv reuses the data)
    cpSync(sourceData, join(refreshTmp.dir, 'source-data'), { recursive: true });
    renameSync(BUILD_DIR, full);
    try {
      // new data: every initiative of the roadmap gets 100 more milestones and a new name (the name is in the
      // prerendered timeline, the count in the table the browser draws), and the data are an hour newer
      const changed = join(refreshTmp.dir, 'refreshed.duckdb');
      copyFileSync(warehouse, changed);
      await withDuckDB(changed, (conn) =>
        conn
          .run(`update marts.initiatives set milestones_total = milestones_total + 100, initiative_name_fi = initiative_name_fi || ' (päivitetty)'`)
          .then(() => undefined),
      );
      const newer = new Date(statSync(warehouse).mtime.getTime() + 3_600_000);
      utimesSync(changed, newer, newer);
      const t = await buildSite({ warehousePath: changed, log, frame });
      expect(t.kind).toBe('data-only');
      renameSync(BUILD_DIR, refreshed);
      // `evidence sources` ran only the query whose result changed; every other query's files are kept byte for byte
      expect(t.sources).toEqual(['initiatives']);
      const kept = (readdirSync(sourceData, { recursive: true, encoding: 'utf8' }) as string[]).filter(
        (f) => statSync(join(sourceData, f)).isFile() && !f.startsWith('warehouse/initiatives/') && f !== 'manifest.json',
      );
      expect(kept.length).toBeGreaterThan(30);
      for (const f of kept) expect(readFileSync(join(sourceData, f)).equals(readFileSync(join(refreshTmp.dir, 'source-data', f))), f).toBe(true);
      expect(readFileSync(join(sourceData, 'warehouse/initiatives/initiatives.parquet')).equals(readFileSync(join(refreshTmp.dir, 'source-data/warehouse/initiatives/initiatives.parquet')))).toBe(false);

      const files = (dir: string) => (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();
      const [fullFiles, newFiles] = [files(full), files(refreshed)];
      // the bundles: the same content-hashed files, byte for byte
      const app = (list: string[]) => list.filter((f) => f.startsWith('_app/'));
      expect(app(newFiles)).toEqual(app(fullFiles));
      for (const f of app(fullFiles)) expect(readFileSync(join(refreshed, f)).equals(readFileSync(join(full, f))), f).toBe(true);
      // the data: the same sources, each named by its content; only the initiatives' is new (the others were kept)
      const data = (list: string[]) => list.filter((f) => f.startsWith('data/') && f.endsWith('.parquet'));
      const source = (f: string) => f.split('/').slice(0, 3).join('/');
      expect([...new Set(data(newFiles).map(source))]).toEqual([...new Set(data(fullFiles).map(source))]);
      expect(data(newFiles).filter((f) => !fullFiles.includes(f)).map(source)).toEqual(['data/warehouse/initiatives']);
      // every page: the new data's date; the same text as the full build's page except where the initiatives are shown
      const asOf = (dir: string, page: string) => readFileSync(join(dir, page), 'utf8').match(/<meta name="tj-data-as-of" content="([^"]*)">/)?.[1];
      const pages = fullFiles.filter((f) => f.endsWith('.html'));
      expect(newFiles.filter((f) => f.endsWith('.html'))).toEqual(pages);
      expect(pages.length).toBeGreaterThan(50);
      // what a reader sees (the markup has ids that Evidence's menus draw at random in every build, and a query or two
      // that Evidence names differently in every build; the text of all 154 pages was the same in a full and a
      // data-only build of the same warehouse, 29.11.2026), as the words each page shows: the tables now show their
      // rows in the prerendered page, and a query without an order shows them in the order `evidence sources` wrote
      // them, which differs from run to run
      const shown = (dir: string, page: string) =>
        readFileSync(join(dir, page), 'utf8')
          .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
          .replace(/<[^>]*>/g, ' ')
          .split(/\s+/)
          .filter(Boolean)
          .sort()
          .join(' ');
      const differing = pages.filter((page) => shown(full, page) !== shown(refreshed, page));
      const wordsOnlyIn = (a: string, b: string) => {
        const rest = b.split(' ');
        return a.split(' ').filter((w) => {
          const i = rest.indexOf(w);
          if (i < 0) return true;
          rest.splice(i, 1);
          return false;
        });
      };
      expect(
        differing,
        differing
          .filter((page) => page !== 'tiekartta/index.html')
          .slice(0, 3)
          .map((page) => `${page}: only in the full build: ${wordsOnlyIn(shown(full, page), shown(refreshed, page)).slice(0, 20).join(' ')}; only in the refreshed: ${wordsOnlyIn(shown(refreshed, page), shown(full, page)).slice(0, 20).join(' ')}`)
          .join('\n'),
      ).toEqual(['tiekartta/index.html']);
      const fullDates = [...new Set(pages.map((page) => asOf(full, page)))];
      expect(fullDates).toHaveLength(1);
      expect(fullDates[0]).toMatch(/^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}$/);
      expect(dataAsOf(changed)).not.toBe(fullDates[0]);
      for (const page of pages) expect(asOf(refreshed, page), page).toBe(dataAsOf(changed));

      // in the browser: the refreshed site shows the new numbers, equal to the mart, and prints the new date
      const totals = await withReadOnly(changed, async (conn) =>
        (await conn.runAndReadAll('select milestones_total from marts.initiatives where org_id = $1 order by initiative_sort', [PP])).getRows().map((r) => Number(r[0])),
      );
      expect(totals.length).toBeGreaterThan(0);
      const served = await serveSite(refreshed, '127.0.0.1', 0);
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        const watch = watchPage(page, served.url);
        await page.goto(new URL(`tiekartta?area=${PP}`, served.url).href, { waitUntil: 'domcontentloaded' });
        const table = page.getByTestId('initiative-table');
        await expect
          .poll(async () => {
            const text = plainSpaces(await table.innerText());
            return totals.filter((n) => !new RegExp(`(^|\\D)${n}(\\D|$)`).test(text));
          }, { timeout: 30_000 })
          .toEqual([]);
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
        expect(plainSpaces(await table.innerText())).toContain('(päivitetty)');
        expect(await page.locator('#tj-print-header').textContent()).toContain(dataAsOf(changed));
        expect(watch.outsideRequests).toEqual([]);
        expect(watch.consoleErrors, 'console errors or warnings on the refreshed /tiekartta').toEqual([]);
        expect(watch.failedRequests).toEqual([]);
      } finally {
        await page.close();
        await served.close();
      }
    } finally {
      rmSync(BUILD_DIR, { recursive: true, force: true });
      renameSync(full, BUILD_DIR);
      rmSync(sourceData, { recursive: true, force: true });
      cpSync(join(refreshTmp.dir, 'source-data'), sourceData, { recursive: true });
      refreshTmp.cleanup();
    }
  }, 900_000);
  // --- end of branch refresh ---
  // --- branch peers (issue 20): the area page's peers table from its peer set (marts.area_peers) ------------------
  it('an area page\'s peers table shows its peer set of marts.area_peers, indicator by indicator, in the mart\'s order', { timeout: 120_000 }, async () => {
    const PEERS: FigureSpec[] = [
      { name: 'Alue', column: 'org_name_fi', format: 'text' },
      { name: 'Arvo', column: 'value_fi', format: 'text' },
      { name: 'Sija', column: 'peer_rank', format: { decimals: 0 } },
      { name: 'Alueita', column: 'peer_count', format: { decimals: 0 } },
      { name: 'Koko maa', column: 'finland_value_fi', format: 'text' },
      { name: 'Sija hyvinvointialueista', column: 'county_rank', format: { decimals: 0 } },
      { name: 'Vuosi', column: 'year', format: 'text' },
    ];
    const rows = await query(`select a.* from marts.area_peers a join marts.area_peer_sets s using (peer_set) where s.area_id = $1
                              order by a.indicator_name_fi, a.indicator_id, a.peer_rank nulls last, a.org_name_fi, a.org_id`, [KAINUU]);
    const byIndicator = new Map<string, Row[]>();
    for (const r of rows) byIndicator.set(String(r.indicator_name_fi), [...(byIndicator.get(String(r.indicator_name_fi)) ?? []), r]);
    expect(byIndicator.size).toBeGreaterThan(5);
    const path = `/alueet/${KAINUU}`;
    const { page, watch } = await open(path);
    // the grouped table: a group row (role=button, the indicator) and its rows; the last cells are the columns above
    const shown = async (): Promise<Map<string, string[][]>> => {
      const trs = await page.getByTestId('DataTable-peers').locator('tr:has(td)').evaluateAll((els) =>
        els.map((tr) => ({ group: tr.getAttribute('role') === 'button', cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '') })));
      const groups = new Map<string, string[][]>();
      let current: string[][] | null = null;
      for (const tr of trs) {
        if (tr.group) groups.set(tr.cells[0] ?? '', (current = []));
        else if (current && tr.cells.length >= PEERS.length) current.push(tr.cells.slice(-PEERS.length));
      }
      return groups;
    };
    const problems = async (): Promise<string[]> => {
      const groups = await shown();
      const out = [...byIndicator.keys()].filter((name) => !groups.has(name)).map((name) => `${name}: no group on the page`);
      for (const name of groups.keys()) if (!byIndicator.has(name)) out.push(`${name}: a group the mart does not have`);
      for (const [name, mart] of byIndicator) if (groups.has(name)) out.push(...compareTable(groups.get(name)!, mart, PEERS).map((p) => `${name} ${p}`));
      return out;
    };
    await expect.poll(problems, { timeout: 60_000, message: `peers table on ${path}` }).toEqual([]);
    expectClean(watch, path);
    await page.close();
  });
  // --- end of branch peers ---
});

/**
 * `site.language: sv` (issue 18): the same pages built in Swedish. The frame (chrome texts, numbers, chart locale,
 * `lang`) follows the language, and so do the pages' own texts (messages/sv.yaml); names from the marts are the
 * registry's Swedish names where the marts carry them (docs/evidence-offline-patch.md).
 * A second Evidence build, after the first describe has finished with ./build: of the same warehouse, from the first
 * build's `evidence sources` output with the marts' words put into Swedish (pipelines/site-data-language.ts).
 */
/** The Swedish build's chart palette (site.chart_colours): none of Evidence's own colours. */
const SV_CHART_COLOURS = ['#c01c28', '#1c71d8', '#26a269'];

describe.skipIf(!hasChromium)('the site built in Swedish (site.language: sv)', () => {
  let site: RunningSite;
  let browser: Browser;
  const query = (sql: string, params: (string | number)[] = []): Promise<Row[]> =>
    withReadOnly(warehouse, async (conn) => (await conn.runAndReadAll(sql, params)).getRowObjectsJS() as Row[]);

  beforeAll(async () => {
    // branch lang: this build also sets site.chart_colours, so that its charts show the configured palette
    ({ site, browser } = await buildAndServe({ ...loadConfig().site.frame!, language: 'sv', chartColours: SV_CHART_COLOURS }));
  }, 1_800_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('says lang="sv", and its frame is Swedish: no Finnish or English chrome word', async () => {
    expect(await (await fetch(site.url)).text()).toMatch(/<html lang="sv"/);
    for (const path of ['/', '/yksikot']) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const watch = watchPage(page, site.url);
      await page.goto(new URL(path.replace(/^\//, ''), site.url).href, { waitUntil: 'domcontentloaded' });
      await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
      if (path === '/yksikot') {
        await hoverTableUntil(page, page.locator('.table-container:visible').first(), 'Ladda ner CSV');
        expect(await page.locator('button[aria-label="Ladda ner Excel"]').count()).toBeGreaterThan(0);
      }
      if (path === '/') {
        // the indicators' names come from the registry's Swedish names (marts.scorecard_as_of.indicator_name_sv)
        const names = await query(
          `select indicator_name_sv from marts.scorecard_as_of where org_id = $1 and as_of_year = $2 and is_strategic`,
          [PP, DEFAULT_YEAR],
        );
        await expect
          .poll(async () => (await page.locator('.tj-tile-name').allTextContents()).map((t) => plainSpaces(t)).sort(), { timeout: 30_000 })
          .toEqual(names.map((n) => plainSpaces(String(n.indicator_name_sv))).sort());
      }
      const text = plainSpaces(await page.evaluate(() => document.body.innerText));
      expect(text).toContain('Startsida');
      for (const word of ['Etusivu', 'Tällä sivulla', 'Lataa CSV', 'Koko näyttö', 'Home', 'Download', 'Fullscreen']) {
        expect(text, `"${word}" on the Swedish ${path}`).not.toContain(word);
      }
      expect(watch.consoleErrors, `console errors on the Swedish ${path}`).toEqual([]);
      expect(watch.outsideRequests).toEqual([]);
      await page.close();
    }
  }, 120_000);

  // branch i18n (issue 18): the pages' own texts from messages/sv.yaml
  it('its pages\' own texts are Swedish: titles, headings, labels, column titles and the sidebar; no Finnish page text left', async () => {
    const { fi, sv } = loadMessageCatalogue();
    // every Finnish phrase of the catalogue that Swedish says otherwise (no placeholder, three words or more: not a name
    // nor words that a mart's Finnish label also uses, such as "Koko maa" in the tiles' national value or
    // "Ennuste / talousarvio" in an indicator name without a Swedish name)
    const finnish = Object.keys(fi)
      .filter((k) => fi[k] !== sv[k] && !fi[k]!.includes('{') && (fi[k]!.match(/\p{L}+/gu) ?? []).length >= 3)
      .map((k) => plainSpaces(fi[k]!.replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/[*`]/g, '')));
    const pages: { path: string; texts: string[] }[] = [
      { path: '/', texts: ['index.title', 'index.perspectiveScores', 'common.perspective.customer', 'index.dualModel', 'index.gridMap', 'common.area'] },
      { path: '/toteutus', texts: ['toteutus.title', 'toteutus.municipalities', 'toteutus.topChanges', 'toteutus.specialty', 'columns.kunta'] },
      { path: '/yksikot', texts: ['yksikot.title', 'yksikot.staff', 'yksikot.allUnits'] },
      { path: `/alueet/${PP}`, texts: ['alueet.area.peers', 'alueet.area.longSeries', 'alueet.area.members', 'columns.jasenkunnat'] },
      { path: '/indikaattorit', texts: ['indikaattorit.title', 'indikaattorit.dualModel'] },
      { path: '/ennakointi/menetelma', texts: ['ennakointi.menetelma.title', 'ennakointi.menetelma.heading1', 'ennakointi.menetelma.heading4'] },
      { path: '/tiekartta', texts: ['tiekartta.title', 'tiekartta.targetState', 'tiekartta.initiatives'] },
      { path: '/tila', texts: ['tila.title', 'tila.sources', 'tila.lastRuns', 'columns.tietolahde'] },
    ];
    for (const { path, texts } of pages) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const watch = watchPage(page, site.url);
      await page.goto(new URL(path.replace(/^\//, ''), site.url).href, { waitUntil: 'domcontentloaded' });
      await page.locator('#evidence-main-article h1').first().waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      const bodyText = async () => plainSpaces(await page.evaluate(() => document.body.innerText));
      for (const key of texts) {
        await expect.poll(bodyText, { message: `${key} on the Swedish ${path}`, timeout: 30_000 }).toContain(plainSpaces(sv[key]!));
      }
      const text = await bodyText();
      for (const finnishText of finnish) expect(text, `Finnish page text on the Swedish ${path}`).not.toContain(finnishText);
      const headings = (await page.locator('#evidence-main-article :is(h1, h2, h3)').allTextContents()).map((h) => plainSpaces(h));
      const finnishHeadings = new Set(Object.keys(fi).filter((k) => fi[k] !== sv[k]).map((k) => plainSpaces(fi[k]!)));
      expect(headings.filter((h) => finnishHeadings.has(h)), `Finnish headings on the Swedish ${path}`).toEqual([]);
      if (path === '/toteutus') {
        // the page's title in the sidebar, the breadcrumbs and the browser's title bar
        expect(await page.title()).toBe(sv['toteutus.title']);
        const sidebar = plainSpaces(await page.locator('aside').first().innerText());
        expect(sidebar).toContain(sv['tila.title']);
        expect(sidebar).not.toContain(fi['tila.title']);
        // a dropdown is titled from the catalogue
        expect(await page.locator(`button[role="combobox"][aria-label="${sv['toteutus.specialty']}"]`).count()).toBe(1);
      }
      expect(watch.consoleErrors, `console errors on the Swedish ${path}`).toEqual([]);
      expect(watch.outsideRequests).toEqual([]);
      await page.close();
    }
  }, 240_000);

  // branch lang (issue 18): the marts' words in Swedish (<x>_sv, put into the <x>_fi the pages read after `evidence sources`)
  it('shows the marts\' words in Swedish: area and organiser names (Uleåborg), statuses, compared with the marts\' _sv columns', async () => {
    async function openSv(path: string): Promise<{ page: Page; watch: PageWatch; text: () => Promise<string> }> {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const watch = watchPage(page, site.url);
      await page.goto(new URL(path.replace(/^\//, ''), site.url).href, { waitUntil: 'domcontentloaded' });
      await page.locator('#evidence-main-article h1').first().waitFor({ state: 'visible', timeout: 30_000 });
      await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0);
      return { page, watch, text: async () => plainSpaces(await page.evaluate(() => document.body.innerText)) };
    }
    async function close(path: string, { page, watch }: { page: Page; watch: PageWatch }): Promise<void> {
      expect(watch.consoleErrors, `console errors on the Swedish ${path}`).toEqual([]);
      expect(watch.outsideRequests).toEqual([]);
      await page.close();
    }

    // /vaesto: the default area (the county of Norra Österbotten) by the mart's Swedish label
    const [county] = await query(`select area_label_sv, area_label_fi from marts.population_by_area where area_id = 'wellbeing_county:19' limit 1`);
    expect(county!.area_label_sv).not.toBe(county!.area_label_fi);
    const vaesto = await openSv('/vaesto');
    await expect.poll(vaesto.text, { timeout: 30_000 }).toContain(plainSpaces(String(county!.area_label_sv)));
    expect(await vaesto.text()).not.toContain(plainSpaces(String(county!.area_label_fi)));
    await close('/vaesto', vaesto);

    // /toteutus: the organiser and its municipalities by the registry's Swedish names (Oulu is Uleåborg)
    const names = await query(
      `select distinct municipality_name_sv, municipality_name_fi, county_name_sv, county_name_fi from marts.service_use_yearly
       where county_org_id = $1 and municipality_level = 'municipality' and municipality_code = '564'`,
      [PP],
    );
    expect(names.map((n) => [n.municipality_name_sv, n.county_name_sv])).toEqual([['Uleåborg', 'Norra Österbottens välfärdsområde']]);
    const toteutus = await openSv(`/toteutus?county=${PP}&municipality=564`);
    await expect.poll(() => toteutus.page.getByTestId('shown-area').innerText(), { timeout: 30_000 }).toBe('Uleåborg');
    expect(await toteutus.text()).toContain(String(names[0]!.county_name_sv));
    expect(await toteutus.text()).not.toContain(String(names[0]!.county_name_fi));
    await close('/toteutus', toteutus);

    // /raportti/<county>: every status word of the report is the mart's Swedish one, none Finnish
    const statuses = await query(`select distinct status_sv, status_fi from marts.board_report_indicators where org_id = $1`, [PP]);
    const report = await openSv(`/raportti/${PP}`);
    await expect.poll(() => report.page.locator('.tj-status-cell').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const shown = [...new Set((await report.page.locator('.tj-status-cell').allTextContents()).map((t) => plainSpaces(t)))];
    expect(shown.filter((s) => !statuses.some((r) => r.status_sv === s))).toEqual([]);
    expect(shown.filter((s) => statuses.some((r) => r.status_fi === s && r.status_fi !== r.status_sv))).toEqual([]);
    await close(`/raportti/${PP}`, report);

    // branch lang: /ennakointi/skenaariot names and describes the alternatives in Swedish (config/scenarios.yaml
    // name_sv / description_sv through marts.scenario_definitions), and /tila says the runs' outcomes in Swedish
    const scenarios = await query(`select scenario_name_sv, scenario_name_fi, description_sv from marts.scenario_definitions order by scenario_sort`);
    expect(scenarios.filter((r) => r.scenario_name_sv === r.scenario_name_fi)).toEqual([]);
    const sken = await openSv('/ennakointi/skenaariot');
    await expect
      .poll(async () => (await sken.page.locator('.tj-scenario-name').allTextContents()).map((t) => plainSpaces(t)), { timeout: 30_000 })
      .toEqual(scenarios.map((r) => plainSpaces(String(r.scenario_name_sv))));
    expect(await sken.text()).toContain(plainSpaces(String(scenarios[0]!.description_sv)));
    await close('/ennakointi/skenaariot', sken);
    const outcomes = await query(`select distinct outcome_sv, outcome_fi from marts.data_status_runs where outcome_sv <> outcome_fi`);
    expect(outcomes.length).toBeGreaterThan(0);
    const tila = await openSv('/tila');
    await expect.poll(() => tila.page.locator('td').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const cells = (await tila.page.locator('td').allTextContents()).map((t) => plainSpaces(t).trim());
    expect(outcomes.some((r) => cells.includes(String(r.outcome_sv)))).toBe(true);
    expect(outcomes.filter((r) => cells.includes(String(r.outcome_fi)))).toEqual([]);
    await close('/tila', tila);
    // /tiekartta names the default area's initiatives in Swedish (config/roadmap.yaml name_sv through marts.initiatives)
    const initiatives = await query(`select initiative_name_sv, initiative_name_fi from marts.initiatives where org_id = $1 order by initiative_sort`, [PP]);
    expect(initiatives.length).toBeGreaterThan(0);
    const roadmap = await openSv('/tiekartta');
    const table = roadmap.page.getByTestId('initiative-table');
    const tableText = async () => plainSpaces(await table.innerText());
    await expect.poll(tableText, { timeout: 30_000 }).toContain(plainSpaces(String(initiatives[0]!.initiative_name_sv)));
    const shownText = await tableText();
    expect(initiatives.filter((r) => !shownText.includes(plainSpaces(String(r.initiative_name_sv))))).toEqual([]);
    expect(initiatives.filter((r) => shownText.includes(plainSpaces(String(r.initiative_name_fi))))).toEqual([]);
    await close('/tiekartta', roadmap);
  }, 240_000);

  // branch lang (issue 18): the charts' colours from site.chart_colours (Evidence's palette without them)
  it('draws its charts in the configured colours (site.chart_colours), none in Evidence\'s own first colours', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = watchPage(page, site.url);
    await page.goto(new URL('ennakointi/skenaariot', site.url).href, { waitUntil: 'domcontentloaded' });
    await page.locator('#evidence-main-article h1').first().waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.locator('.chart-container canvas').count(), { timeout: 30_000 }).toBeGreaterThan(3);
    // pixels of each colour over every chart's canvas (bars and lines are drawn in the series' solid colour)
    const pixels = (colours: string[]) =>
      page.locator('.chart-container canvas').evaluateAll((canvases, hexes) => {
        const rgb = hexes.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
        const counts = hexes.map(() => 0);
        for (const canvas of canvases as HTMLCanvasElement[]) {
          if (canvas.width === 0 || canvas.height === 0) continue;
          // read a copy (Chromium warns on repeated reads of a canvas not made for them)
          const copy = document.createElement('canvas');
          [copy.width, copy.height] = [canvas.width, canvas.height];
          const ctx = copy.getContext('2d', { willReadFrequently: true })!;
          ctx.drawImage(canvas, 0, 0);
          const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let p = 0; p < data.length; p += 4) {
            rgb.forEach(([r, g, b], i) => {
              if (data[p] === r && data[p + 1] === g && data[p + 2] === b && data[p + 3] === 255) counts[i]!++;
            });
          }
        }
        return counts;
      }, colours);
    const evidenceFirst = ['#236aa4', '#45a1bf'];
    await expect.poll(async () => (await pixels([SV_CHART_COLOURS[0]!]))[0], { timeout: 30_000 }).toBeGreaterThan(100);
    expect(await pixels(evidenceFirst)).toEqual([0, 0]);
    expect(watch.consoleErrors).toEqual([]);
    expect(watch.outsideRequests).toEqual([]);
    await page.close();
  }, 120_000);
});

