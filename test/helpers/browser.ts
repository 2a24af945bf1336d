import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { projectRoot } from '../../pipelines/paths.js';
import { CHROMIUM, launchChromium } from '../../pipelines/ops/board-pack.js';

/** Debian's chromium (pipelines/ops/board-pack.ts launches it the same way); tests never download a browser. */
export { CHROMIUM, launchChromium };
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM_MESSAGE = `Browser tests skipped: ${CHROMIUM} is missing. Install it with \`sudo apt-get install -y chromium\` (Debian) or set CHROMIUM_PATH.`;

/** Screenshots are test artifacts in a gitignored folder. */
export const SCREENSHOT_DIR = join(projectRoot, 'test-results', 'screenshots');

export interface PageWatch {
  /** Paths of the requests to the site itself, in order (the page's workers' requests included). */
  requests: string[];
  /** Requests to any host other than the site's own. */
  outsideRequests: string[];
  /** Console errors and warnings (a warning fails a browser test like an error), and uncaught page errors. */
  consoleErrors: string[];
  /** Failed requests and HTTP errors (>= 400) to the site itself. */
  failedRequests: string[];
}

/**
 * Records what a page does that it must not: leave the machine, log errors, fail requests.
 * Evidence cancels its own prefetches of prerendered query results once hydration has the data
 * (net::ERR_ABORTED on /api/prerendered_queries/...); those files exist and are not failures.
 */
export function watchPage(page: Page, siteUrl: string): PageWatch {
  const origin = new URL(siteUrl).origin;
  const watch: PageWatch = { requests: [], outsideRequests: [], consoleErrors: [], failedRequests: [] };
  page.on('request', (r) => {
    const url = r.url();
    if (/^(data|blob):/.test(url)) return;
    if (new URL(url).origin !== origin) watch.outsideRequests.push(url);
    else watch.requests.push(new URL(url).pathname);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText ?? '';
    if (error === 'net::ERR_ABORTED' && new URL(r.url()).pathname.startsWith('/api/prerendered_queries/')) return;
    watch.failedRequests.push(`${r.url()} ${error}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) watch.failedRequests.push(`${r.url()} HTTP ${r.status()}`);
  });
  return watch;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // ECharts draws a chart with a one-second animation (a line grows from the left, bars from the axis): a picture
  // taken during it shows a line that seems to stop early (issue 14, /toteutus). Let the charts finish first.
  if (await page.locator('[_echarts_instance_]').count()) await page.waitForTimeout(1_500);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Picks an option in an Evidence <Dropdown> by its visible label. A click before the page has hydrated opens
 * nothing (a busy machine hydrates late), so the click is repeated until the search box shows, for up to 60 s.
 */
export async function chooseDropdown(page: Page, title: string, optionLabel: string): Promise<void> {
  const input = page.locator('input[data-cmdk-input]').first();
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.locator(`button[aria-label="${title}"]`).click();
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
  await input.fill(optionLabel);
  // The option whose whole text is the label (so 'Kainuu' does not pick 'Kainuun hyvinvointialue'), else the first
  // option that contains it.
  const escaped = optionLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const exact = page.locator('[role=option]').filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) });
  const hasExact = await exact.first().waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
  await (hasExact ? exact : page.locator('[role=option]', { hasText: optionLabel })).first().click();
}

/**
 * Hovers a table until the button of that label shows (a table shows its buttons while the pointer is over it, once
 * the page has hydrated: a hover before that shows nothing, so it is repeated, for up to 60 s).
 */
export async function hoverTableUntil(page: Page, table: Locator, button: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.mouse.move(0, 0);
    await table.hover();
    try {
      await table.locator(`button[aria-label="${button}"]`).first().waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** Text with any kind of space (fi-FI uses a no-break space as the thousands separator) made plain. */
export function plainSpaces(text: string | null): string {
  return (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
