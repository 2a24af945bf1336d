/**
 * Sign-in on the real Evidence build in Debian chromium: the site that test/e2e/site.test.ts built (one build for
 * every browser test), served a second time on 127.0.0.1 with the access gate against a local OpenID provider
 * (oidc-provider). The user signs in through the provider's own forms in the browser; then every page the user may
 * see must load without a console error or failed request (no data file it needs is withheld), and the pages and
 * data files of other audiences are refused.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSiteIndex } from '../../pipelines/auth/access.js';
import { createLogger } from '../../pipelines/log.js';
import { BUILD_DIR, serveSite, type RunningSite } from '../../pipelines/site.js';
import { watchPage } from '../helpers/browser.js';
import { ACCOUNTS, freePort, startLocalProvider, testGate, type LocalProvider } from '../helpers/oidc.js';

/** What the site build hands over: its browser and one unit code of its warehouse. */
export interface BuiltSite {
  browser: () => Browser;
  unitCode: () => Promise<string>;
}

/** The sign-in tests, as a describe inside the site build's describe (after its build, before the next build). */
export function describeSignIn(built: BuiltSite): void {
  describe('sign-in and audiences on the built site, behind the access gate', () => {
    const log = createLogger(() => {});
    let provider: LocalProvider;
    let site: RunningSite;
    let browser: Browser;
    let unitCode: string;

    /** The first parquet file of a table in the build, as a URL path. */
    const parquetOf = (table: string): string => {
      const dir = join(BUILD_DIR, 'data', 'warehouse', table);
      const hash = readdirSync(dir, { withFileTypes: true }).find((d) => d.isDirectory())?.name;
      return `/data/warehouse/${table}/${hash}/${table}.parquet`;
    };
    const at = (path: string) => new URL(path.replace(/^\//, ''), site.url).href;

    beforeAll(async () => {
      unitCode = await built.unitCode();
      browser = built.browser();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/`;
      provider = await startLocalProvider([`${url}auth/callback`]);
      site = await serveSite(BUILD_DIR, '127.0.0.1', port, testGate(provider.issuer, url, log));
    }, 120_000);

    afterAll(async () => {
      await site?.close();
      await provider?.close();
    });

    /**
     * A browser context signed in as `account` through the provider's login and consent forms. The provider's form
     * page imports a web font from the internet: requests off 127.0.0.1 are aborted before they leave the machine.
     */
    async function signIn(account: keyof typeof ACCOUNTS, start: string): Promise<BrowserContext> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      const page = await context.newPage();
      await page.goto(at(start), { waitUntil: 'domcontentloaded' });
      expect(new URL(page.url()).origin).toBe(provider.issuer);
      await page.locator('input[name=login]').fill(account);
      await page.locator('input[name=password]').fill('salasana');
      await page.locator('button[type=submit]').click();
      await page.locator('button[type=submit]', { hasText: 'Continue' }).click(); // consent
      await page.waitForURL(at(start), { timeout: 30_000 });
      await page.close();
      return context;
    }

    /** Opens a page in the signed-in context and waits until it has drawn its content. */
    async function open(context: BrowserContext, path: string): Promise<{ page: Page; status: number | undefined }> {
      const page = await context.newPage();
      const watch = watchPage(page, site.url);
      const response = await page.goto(at(path), { waitUntil: 'domcontentloaded' });
      await page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
      if (response?.status() === 200) {
        await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 60_000 }).toBe(0);
        expect(await page.locator('text=/Error in /').count(), `an error box on ${path}`).toBe(0);
        expect(watch.outsideRequests, `requests leaving 127.0.0.1 from ${path}`).toEqual([]);
        expect(watch.consoleErrors, `console errors or warnings on ${path}`).toEqual([]);
        expect(watch.failedRequests, `failed requests on ${path}`).toEqual([]);
      }
      return { page, status: response?.status() };
    }

    it('the build names its data files as the gate expects: unit staff data only behind the /yksikot routes', () => {
      const index = readSiteIndex(BUILD_DIR);
      expect(index.routes.map((r) => r.route)).toEqual(expect.arrayContaining(['/', '/yksikot', '/yksikot/[unit]', '/toteutus', '/tila']));
      expect((index.byTable.get('warehouse.unit_data_monthly') ?? []).map((r) => r.route).sort()).toEqual(['/yksikot', '/yksikot/[unit]']);
      expect((index.byTable.get('warehouse.service_use') ?? []).map((r) => r.route)).toEqual(['/toteutus']);
      expect(index.routes.find((r) => r.route === '/yksikot')?.results.size).toBeGreaterThan(0);
    });

    it('a unit manager signs in, sees the front page and the unit pages with their data, not /toteutus', async () => {
      const context = await signIn('esihenkilo', '/yksikot');
      for (const path of ['/', '/yksikot', `/yksikot/${unitCode}`]) {
        const { page, status } = await open(context, path);
        expect(status, path).toBe(200);
        await page.close();
      }
      const { page, status } = await open(context, '/toteutus');
      expect(status).toBe(403);
      await expect.poll(() => page.locator('h1').textContent()).toBe('Ei käyttöoikeutta');
      expect(await page.locator('html').getAttribute('lang')).toBe('fi');
      expect((await context.request.get(at(parquetOf('service_use')))).status()).toBe(403);
      expect((await context.request.get(at(parquetOf('unit_data_monthly')))).status()).toBe(200);
      await context.close();
    });

    it('data staff see /tila and the front page whole, but neither the unit pages nor their data files', async () => {
      const context = await signIn('tietotuki', '/tila');
      for (const path of ['/tila', '/']) {
        const { page, status } = await open(context, path);
        expect(status, path).toBe(200);
        await page.close();
      }
      for (const path of ['/yksikot', `/yksikot/${unitCode}`]) {
        const { page, status } = await open(context, path);
        expect(status, path).toBe(403);
        expect(await page.locator('h1').textContent()).toBe('Ei käyttöoikeutta');
        await page.close();
      }
      expect((await context.request.get(at(parquetOf('unit_data_monthly')))).status()).toBe(403);
      expect((await context.request.get(at('/api/yksikot/evidencemeta.json'))).status()).toBe(403);
      // Sign-out removes the session: the next page goes to sign-in (the provider's own session stays, so the browser
      // would come straight back signed in; docs/operations.md).
      const page = await context.newPage();
      await page.goto(at('/auth/logout'));
      await expect.poll(() => page.locator('h1').textContent()).toBe('Olet kirjautunut ulos');
      expect((await context.cookies(site.url)).map((c) => c.name)).not.toContain('tj_session');
      const next = await context.request.get(at('/tila'), { maxRedirects: 0 });
      expect(next.status()).toBe(302);
      expect(next.headers().location).toBe('/auth/login?next=%2Ftila');
      await context.close();
    });
  });
}
