/**
 * Board packs (docs/commentary.md): the printable board report /raportti/<org> of a period printed to PDF with the
 * Debian chromium (playwright-core, no download, no network: the built site is served on 127.0.0.1 by this process)
 * into <warehouse folder>/board-packs/<org>/<period>.pdf (data/board-packs/ by default), and copied into the served
 * site's /board-packs/ so the report page links to it. `npm run pipeline -- board-pack [--org] [--period]`, and after
 * a refresh that rebuilt the site (pipelines/ops/refresh.ts).
 */
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Logger } from '../log.js';
import { queryRows, withDuckDB } from '../warehouse.js';
import { serveSite } from '../site.js';

/** Debian's chromium (env CHROMIUM_PATH overrides it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless chromium without the background traffic it otherwise sends to Google's hosts at start-up. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) return Promise.reject(new Error(`${CHROMIUM} is missing: install chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH`));
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Where the PDFs go: beside the warehouse file (data/board-packs for data/warehouse.duckdb). */
export const boardPackDir = (warehousePath: string): string => join(dirname(warehousePath), 'board-packs');

/** The organisations that get a board report (counties, collaboration areas, sub-areas). */
const REPORT_ORG_TYPES = ['wellbeing_county', 'collaboration_area', 'sub_area'];

export interface BoardPackRequest {
  /** The published warehouse the site was built from (organisation names and periods). */
  warehousePath: string;
  /** The built site (its index.html). */
  siteDir: string;
  /** Output root; default boardPackDir(warehousePath). */
  outDir: string;
  org?: string;
  /** YYYY or YYYY-MM; default each organisation's latest period. */
  period?: string;
  log: Logger;
}

export interface BoardPack {
  org: string;
  orgName: string;
  period: string;
  file: string;
}

export class BoardPackError extends Error {}

/** The report targets: organisation, name and period (the latest of the organisation when none is given). */
type Target = Omit<BoardPack, 'file'> & { rows: number; comments: number };

async function targets(req: BoardPackRequest): Promise<Target[]> {
  return withDuckDB(
    req.warehousePath,
    async (conn) => {
      const orgs = await queryRows<{ org_id: string; name_fi: string; latest: string | null }>(
        conn,
        `select o.org_id, o.name_fi,
                (select cast(max(as_of_year) as varchar) from marts.board_report_indicators b where b.org_id = o.org_id) as latest
         from marts.scorecard_organisations o
         where ($org is null and o.org_type in (select unnest(from_json($types, '["VARCHAR"]')))) or o.org_id = $org
         order by o.org_sort, o.name_fi`,
        { org: req.org ?? null, types: JSON.stringify(REPORT_ORG_TYPES) },
      );
      if (req.org && orgs.length === 0) throw new BoardPackError(`--org ${req.org}: no such organisation in marts.scorecard_organisations`);
      const found: Target[] = [];
      for (const o of orgs) {
        const period = req.period ?? o.latest;
        if (!period) continue;
        // What the page shows when it has loaded that period: the PDF is printed only then.
        const [n] = await queryRows<{ rows: bigint; comments: bigint }>(
          conn,
          `select (select count(*) from marts.board_report_indicators where org_id = $org and as_of_year = try_cast(left($period, 4) as integer)) as rows,
                  (select count(*) from marts.commentary where org_id = $org and year = try_cast(left($period, 4) as integer)) as comments`,
          { org: o.org_id, period },
        );
        found.push({ org: o.org_id, orgName: o.name_fi, period, rows: Number(n?.rows ?? 0), comments: Number(n?.comments ?? 0) });
      }
      return found;
    },
    { access_mode: 'READ_ONLY' },
  );
}

/**
 * Chooses the period in the report's dropdown "Kausi" (Evidence's: a combobox button that opens a filterable list
 * once the page has hydrated, so the click is repeated until the list opens).
 */
async function choosePeriod(page: Page, org: string, period: string): Promise<void> {
  const choice = page.getByRole('combobox', { name: 'Kausi' });
  await choice.waitFor({ timeout: 60_000 });
  const chosen = async () => ((await choice.textContent()) ?? '').replace(/\s+/g, ' ').trim().replace(/^Kausi\s*/, '');
  if ((await chosen()) === period) return;
  const input = page.locator('input[data-cmdk-input]').first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await choice.click();
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
  await input.fill(period);
  const option = page.getByRole('option', { name: period, exact: true });
  try {
    await option.waitFor({ timeout: 10_000 });
  } catch {
    throw new BoardPackError(`--period ${period}: no report of ${org} for that period`);
  }
  await option.click();
}

/** Prints the board reports to PDF; returns the files written. */
export async function writeBoardPacks(req: BoardPackRequest): Promise<BoardPack[]> {
  if (req.period && !/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(req.period)) throw new BoardPackError(`--period ${req.period}: expected YYYY or YYYY-MM`);
  const wanted = await targets(req);
  const site = await serveSite(req.siteDir, '127.0.0.1', 0);
  const browser = await launchChromium();
  const written: BoardPack[] = [];
  try {
    const context = await browser.newContext({ locale: 'fi-FI', timezoneId: 'Europe/Helsinki' });
    // Nothing leaves this machine: only the site served here is reachable.
    await context.route(/.*/, (route) => (new URL(route.request().url()).origin === new URL(site.url).origin ? route.continue() : route.abort()));
    for (const t of wanted) {
      const page = await context.newPage();
      try {
        await page.goto(new URL(`raportti/${encodeURIComponent(t.org)}`, site.url).href);
        // The report is per year: a month (YYYY-MM) prints its year's report under the month's name.
        const year = t.period.slice(0, 4);
        await choosePeriod(page, t.org, year);
        await page.getByText(`kausi ${year} ·`).waitFor({ timeout: 60_000 });
        await page.waitForFunction(
          ({ year, rows, comments }) =>
            document.querySelectorAll(`[data-testid="report-row"][data-year="${year}"]`).length === rows &&
            document.querySelectorAll('[data-testid="report-row"]').length === rows &&
            document.querySelectorAll(`[data-testid="comment"][data-year="${year}"]`).length === comments &&
            document.querySelectorAll('[data-testid="comment"]').length === comments,
          { year, rows: t.rows, comments: t.comments },
          { timeout: 60_000 },
        );
        // The print header reads the page's choices when the page is about to be printed.
        await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
        await page.emulateMedia({ media: 'print' });
        const file = join(req.outDir, t.org, `${t.period}.pdf`);
        mkdirSync(dirname(file), { recursive: true });
        await page.pdf({ path: `${file}.tmp`, format: 'A4', printBackground: true, preferCSSPageSize: true });
        renameSync(`${file}.tmp`, file);
        // Linked from the site: /board-packs/<org>/<period>.pdf.
        const linked = join(req.siteDir, 'board-packs', t.org, `${t.period}.pdf`);
        mkdirSync(dirname(linked), { recursive: true });
        copyFileSync(file, linked);
        req.log.info('board pack written', { org: t.org, period: t.period, file });
        written.push({ org: t.org, orgName: t.orgName, period: t.period, file });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return written;
}
