/**
 * `serve` with OpenID Connect sign-in against a real OpenID provider (oidc-provider) started here on 127.0.0.1,
 * offline. The login is driven with plain HTTP requests through the provider's own login and consent forms.
 * The served site is a miniature of an Evidence build with the same file layout (pages, api/…/evidencemeta.json,
 * api/<md5(route)>/<md5(params)>/all-queries.json, api/prerendered_queries/<hash>.arrow, data/<source>/<table>/…).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_PATH, LOGOUT_PATH, SESSION_COOKIE } from '../../pipelines/auth/access-gate.js';
import { createLogger } from '../../pipelines/log.js';
import { precompressSite } from '../../pipelines/site-compression.js';
import { serveSite, type RunningSite } from '../../pipelines/site.js';
import { freePort, startLocalProvider, testGate, type LocalProvider } from '../helpers/oidc.js';
import { tempDir } from '../helpers/tmp.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// A miniature Evidence build

const RESULT_FRONT = 'aa'.repeat(16);
const RESULT_UNITS = 'bb'.repeat(16);
const RESULT_SHARED = 'cc'.repeat(16); // e.g. a one-row count, equal on the front page and the unit page
const RESULT_TILA = 'dd'.repeat(16);

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function meta(...sql: string[]): string {
  return JSON.stringify({ queries: sql.map((s, i) => ({ id: `q${i}`, compiledQueryString: s, inputQueryString: s })) });
}

async function buildFixtureSite(root: string): Promise<void> {
  const page = (title: string) =>
    `<!doctype html><html lang="fi"><body><h1>${title}</h1>${'<p>sisältö</p>'.repeat(100)}</body></html>`;
  write(root, 'index.html', page('Strateginen tuloskortti'));
  write(root, 'yksikot/index.html', page('Yksiköt'));
  write(root, 'yksikot/kajaani-ta/index.html', page('Kajaanin terveysasema'));
  write(root, 'toteutus/index.html', page('Palvelujen käyttö'));
  write(root, 'tila/index.html', page('Tila'));
  write(root, '_app/immutable/chunks/app.abc123.js', `export const app = ${JSON.stringify('x'.repeat(4000))};\n`);
  write(root, 'favicon.ico', Buffer.from([0, 0, 1, 0]));
  write(root, 'api/pagesManifest.json', '{}');
  write(root, 'data/manifest.json', '{"renderedFiles":{}}');
  for (const table of ['scorecard', 'unit_data_monthly', 'service_use', 'data_status_runs', 'orphan_table']) {
    write(root, `data/warehouse/${table}/0123456789abcdef0123456789abcdef/${table}.parquet`, Buffer.from(`PAR1 ${table} PAR1`));
    write(root, `data/warehouse/${table}/${table}.schema.json`, '{}');
  }
  write(root, 'api/evidencemeta.json', meta('select * from warehouse.scorecard'));
  write(root, 'api/yksikot/evidencemeta.json', meta('select unit_code from warehouse.unit_data_monthly'));
  write(root, 'api/yksikot/[unit]/evidencemeta.json', meta('select * from warehouse.unit_data_monthly where unit_code = ${u}'));
  write(root, 'api/toteutus/evidencemeta.json', meta('select * from warehouse.service_use'));
  write(root, 'api/tila/evidencemeta.json', meta('select * from warehouse.data_status_runs'));
  const results = (route: string, params: string, r: Record<string, string>) =>
    write(root, `api/${md5(route)}/${md5(params)}/all-queries.json`, JSON.stringify(r));
  results('/', '', { q0_data: RESULT_FRONT, q0_length: RESULT_SHARED });
  results('/yksikot', '', { q0_data: RESULT_UNITS, q0_length: RESULT_SHARED });
  results('/yksikot/[unit]', '{"unit":"kajaani-ta"}', { q0_data: RESULT_UNITS });
  results('/tila', '', { q0_data: RESULT_TILA });
  for (const h of [RESULT_FRONT, RESULT_UNITS, RESULT_SHARED, RESULT_TILA]) {
    write(root, `api/prerendered_queries/${h}.arrow`, `ARROW ${h} ${'0'.repeat(2000)}`);
  }
  await precompressSite(root); // the .br/.gz copies a real build has
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP with a cookie jar per origin (what a browser does, close enough for two servers on 127.0.0.1)

class Browser {
  readonly jar = new Map<string, Map<string, string>>();

  cookies(url: string): Map<string, string> {
    const origin = new URL(url).origin;
    if (!this.jar.has(origin)) this.jar.set(origin, new Map());
    return this.jar.get(origin) as Map<string, string>;
  }

  async request(url: string, init: { method?: string; body?: string; accept?: string } = {}): Promise<Response> {
    const cookies = this.cookies(url);
    const headers: Record<string, string> = { accept: init.accept ?? 'text/html' };
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: init.method ?? 'GET', body: init.body, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects (and the provider's login and consent forms) until a response that is not one. */
  async navigate(url: string, account?: string): Promise<{ res: Response; url: string; body: string }> {
    let current = url;
    for (let hops = 0; hops < 20; hops++) {
      const res = await this.request(current);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current).href;
        continue;
      }
      const body = await res.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(body);
      const prompt = /name="prompt" value="(\w+)"/.exec(body)?.[1];
      if (res.status === 200 && form && prompt && account) {
        const fields = new URLSearchParams({ prompt });
        if (prompt === 'login') {
          fields.set('login', account);
          fields.set('password', 'any');
        }
        const posted = await this.request(new URL(form[1] as string, current).href, { method: 'POST', body: fields.toString() });
        current = new URL(posted.headers.get('location') as string, current).href;
        continue;
      }
      return { res, url: current, body };
    }
    throw new Error(`too many redirects from ${url}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('serve with OpenID Connect sign-in (local provider on 127.0.0.1)', () => {
  const tmp = tempDir('tj-sign-in-');
  const root = join(tmp.dir, 'site');
  const logLines: string[] = [];
  const log = createLogger((l) => logLines.push(l));
  let provider: LocalProvider;
  let issuer: string;
  let site: RunningSite; // 8 h sessions
  let shortSite: RunningSite; // 2 s sessions

  beforeAll(async () => {
    await buildFixtureSite(root);
    const [sitePort, shortPort] = [await freePort(), await freePort()];
    const siteUrl = `http://127.0.0.1:${sitePort}/`;
    const shortUrl = `http://127.0.0.1:${shortPort}/`;
    provider = await startLocalProvider([`${siteUrl}auth/callback`, `${shortUrl}auth/callback`]);
    issuer = provider.issuer;
    site = await serveSite(root, '127.0.0.1', sitePort, testGate(issuer, siteUrl, log, '8h'));
    shortSite = await serveSite(root, '127.0.0.1', shortPort, testGate(issuer, shortUrl, log, '2s'));
  });

  afterAll(async () => {
    await site?.close();
    await shortSite?.close();
    await provider?.close();
    tmp.cleanup();
  });

  const at = (s: RunningSite, path: string) => new URL(path.replace(/^\//, ''), s.url).href;
  const unitParquet = '/data/warehouse/unit_data_monthly/0123456789abcdef0123456789abcdef/unit_data_monthly.parquet';
  const serviceUseParquet = '/data/warehouse/service_use/0123456789abcdef0123456789abcdef/service_use.parquet';

  async function signedIn(account: string, s: RunningSite = site, start = '/'): Promise<Browser> {
    const b = new Browser();
    const { res, url } = await b.navigate(at(s, start), account);
    expect(b.cookies(s.url).has(SESSION_COOKIE)).toBe(true);
    expect(new URL(url).pathname).toBe(start);
    expect([200, 403]).toContain(res.status);
    return b;
  }

  it('without a session: a page goes to sign-in, data and app files get 401', async () => {
    const b = new Browser();
    const page = await b.request(at(site, '/yksikot?x=1'));
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`${LOGIN_PATH}?next=${encodeURIComponent('/yksikot?x=1')}`);
    for (const path of [unitParquet, '/_app/immutable/chunks/app.abc123.js', '/api/yksikot/evidencemeta.json']) {
      expect((await b.request(at(site, path), { accept: '*/*' })).status, path).toBe(401);
    }
  });

  it('signs in with authorization code + PKCE and returns to the page asked for, in a sealed HttpOnly cookie', async () => {
    const b = new Browser();
    const login = await b.request(at(site, `${LOGIN_PATH}?next=%2Fyksikot%2Fkajaani-ta`));
    expect(login.status).toBe(302);
    const authorize = new URL(login.headers.get('location') as string);
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('scope')).toBe('openid profile groups');
    const { res, url, body } = await b.navigate(authorize.href, 'esihenkilo');
    expect(new URL(url).pathname).toBe('/yksikot/kajaani-ta');
    expect(res.status).toBe(200);
    expect(body).toContain('Kajaanin terveysasema');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    // The cookie: encrypted (no readable name or group in it), HttpOnly, SameSite=Lax, with an expiry.
    const sealed = b.cookies(site.url).get(SESSION_COOKIE) as string;
    expect(sealed.split('.')).toHaveLength(5); // JWE compact serialisation
    expect(Buffer.from(sealed.replace(/\./g, ''), 'base64url').toString('latin1')).not.toMatch(/esihenkilo|yksikko|Eeva/);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, with Max-Age = the session lifetime', async () => {
    const b = new Browser();
    const login = await b.request(at(site, LOGIN_PATH));
    const authorize = login.headers.get('location') as string;
    // Walk to the provider's redirect back to the callback, then look at the callback's own answer.
    let current = authorize;
    for (let i = 0; i < 20 && !current.startsWith(at(site, '/auth/callback')); i++) {
      const url = current;
      const res = await b.request(url);
      const location = res.headers.get('location');
      if (location) current = new URL(location, url).href;
      else {
        const body = await res.text();
        const form = /<form[^>]*action="([^"]+)"/.exec(body) as RegExpExecArray;
        const prompt = /name="prompt" value="(\w+)"/.exec(body)?.[1] as string;
        const fields = new URLSearchParams({ prompt, login: 'johtaja', password: 'x' });
        const posted = await b.request(new URL(form[1] as string, url).href, { method: 'POST', body: fields.toString() });
        current = new URL(posted.headers.get('location') as string, url).href;
      }
    }
    const cb = await b.request(current);
    expect(cb.status).toBe(302);
    const session = cb.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) as string;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Max-Age=28800/);
    expect(session).not.toMatch(/Secure/); // http redirect_url (tests); https in production adds Secure
  });

  it('reads the groups from userinfo when the ID token has none; from the ID token without a userinfo call', async () => {
    const before = provider.userinfoRequests();
    const b = await signedIn('esihenkilo');
    expect(provider.userinfoRequests()).toBe(before + 1);
    expect((await b.request(at(site, '/yksikot'))).status).toBe(200);
    // A provider that puts profile and groups into the ID token (Entra ID, Keycloak's group mapper).
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const idTokenProvider = await startLocalProvider([`${url}auth/callback`], { claimsInIdToken: true });
    const idTokenSite = await serveSite(root, '127.0.0.1', port, testGate(idTokenProvider.issuer, url, log));
    try {
      const c = await signedIn('esihenkilo', idTokenSite, '/yksikot');
      expect(idTokenProvider.userinfoRequests()).toBe(0);
      expect((await c.request(at(idTokenSite, unitParquet), { accept: '*/*' })).status).toBe(200);
      const denied = await c.request(at(idTokenSite, '/tila'));
      expect(denied.status).toBe(403);
      expect(await denied.text()).toContain('Kirjautunut: Eeva Esihenkilö · käyttäjäryhmät: yksikko');
    } finally {
      await idTokenSite.close();
      await idTokenProvider.close();
    }
  });

  it('maps groups to audiences: a unit manager sees units, not /toteutus or /tila (Finnish 403 page)', async () => {
    const b = await signedIn('esihenkilo');
    expect((await b.request(at(site, '/yksikot'))).status).toBe(200);
    expect((await b.request(at(site, '/'))).status).toBe(200);
    for (const path of ['/toteutus', '/toteutus/', '/tila', '/tila/index.html', '/t%69la']) {
      const res = await b.request(at(site, path));
      expect(res.status, path).toBe(403);
      const body = await res.text();
      expect(body).toContain('<html lang="fi">');
      expect(body).toContain('Ei käyttöoikeutta');
      expect(body).toContain('Eeva Esihenkilö');
      expect(body).toContain('käyttäjäryhmät: yksikko');
    }
  });

  it('data files follow the pages: the unit table to a unit manager, not the service-use table', async () => {
    const b = await signedIn('esihenkilo');
    const ok = await b.request(at(site, unitParquet), { accept: '*/*' });
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).toString()).toContain('unit_data_monthly');
    expect((await b.request(at(site, serviceUseParquet), { accept: '*/*' })).status).toBe(403);
    expect((await b.request(at(site, '/data/warehouse/service_use/service_use.schema.json'), { accept: '*/*' })).status).toBe(
      403,
    );
    expect((await b.request(at(site, '/api/toteutus/evidencemeta.json'), { accept: '*/*' })).status).toBe(403);
    expect((await b.request(at(site, `/api/prerendered_queries/${RESULT_TILA}.arrow`), { accept: '*/*' })).status).toBe(403);
    expect((await b.request(at(site, `/api/prerendered_queries/${RESULT_UNITS}.arrow`), { accept: '*/*' })).status).toBe(200);
    // A table no page reads is served to nobody.
    expect((await b.request(at(site, '/data/warehouse/orphan_table/orphan_table.schema.json'), { accept: '*/*' })).status).toBe(
      403,
    );
  });

  it('denies the unit data to data staff in every spelling of its address', async () => {
    const b = await signedIn('tietotuki');
    expect((await b.request(at(site, '/tila'))).status).toBe(200);
    expect((await b.request(at(site, '/toteutus'))).status).toBe(200);
    expect((await b.request(at(site, '/yksikot'))).status).toBe(403);
    expect((await b.request(at(site, '/yksikot/kajaani-ta'))).status).toBe(403);
    const denied = [
      unitParquet,
      `${unitParquet}.br`,
      unitParquet.replace('unit_data_monthly/', 'unit%5Fdata%5Fmonthly/'),
      `/data//warehouse/${unitParquet.slice('/data/warehouse/'.length)}`,
      '/data/warehouse/unit_data_monthly/unit_data_monthly.schema.json',
      '/api/yksikot/evidencemeta.json',
      '/api/yksikot/%5Bunit%5D/evidencemeta.json',
      `/api/${md5('/yksikot')}/${md5('')}/all-queries.json`,
      `/api/${md5('/yksikot/[unit]')}/${md5('{"unit":"kajaani-ta"}')}/all-queries.json`,
      `/api/prerendered_queries/${RESULT_UNITS}.arrow`,
    ];
    for (const path of denied) {
      const res = await b.request(at(site, path), { accept: '*/*' });
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).not.toContain('unit_data_monthly PAR1');
    }
    for (const path of ['/../yksikot/index.html', '/%2e%2e/yksikot/index.html', '/yksikot/..%2fyksikot/index.html']) {
      expect([400, 403], path).toContain((await b.request(at(site, path))).status);
    }
    // A result equal on an allowed page (the front page) is the same file: served.
    expect((await b.request(at(site, `/api/prerendered_queries/${RESULT_SHARED}.arrow`), { accept: '*/*' })).status).toBe(200);
  });

  it('a signed-in user outside every audience gets 403 on pages and data but the shared app files', async () => {
    const b = await signedIn('ulkopuolinen');
    const front = await b.request(at(site, '/'));
    expect(front.status).toBe(403);
    expect(await front.text()).toContain('käyttäjäryhmät: ei yhtään');
    expect((await b.request(at(site, '/data/warehouse/scorecard/scorecard.schema.json'), { accept: '*/*' })).status).toBe(403);
    const app = await b.request(at(site, '/_app/immutable/chunks/app.abc123.js'), { accept: '*/*' });
    expect(app.status).toBe(200);
    expect(app.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await b.request(at(site, '/favicon.ico'), { accept: '*/*' })).status).toBe(200);
    expect((await b.request(at(site, '/data/manifest.json'), { accept: '*/*' })).status).toBe(200);
  });

  it('refuses a forged or altered session cookie', async () => {
    const b = await signedIn('esihenkilo');
    const cookies = b.cookies(site.url);
    const sealed = cookies.get(SESSION_COOKIE) as string;
    const parts = sealed.split('.');
    parts[3] = `${(parts[3] as string).slice(0, -2)}${(parts[3] as string).endsWith('AA') ? 'BB' : 'AA'}`;
    cookies.set(SESSION_COOKIE, parts.join('.'));
    expect((await b.request(at(site, '/yksikot'))).status).toBe(302);
    cookies.set(SESSION_COOKIE, 'eyJhbGciOiJub25lIn0.eyJhdWRpZW5jZXMiOlsiam9odG8iXX0.');
    expect((await b.request(at(site, unitParquet), { accept: '*/*' })).status).toBe(401);
  });

  it('an expired session is refused: pages go back to sign-in, data files get 401', async () => {
    const b = await signedIn('esihenkilo', shortSite, '/yksikot');
    expect((await b.request(at(shortSite, unitParquet), { accept: '*/*' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    // The browser would have dropped it (Max-Age=2); one that keeps sending it is refused by the sealed exp.
    expect(b.cookies(shortSite.url).has(SESSION_COOKIE)).toBe(true);
    const page = await b.request(at(shortSite, '/yksikot'));
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe(`${LOGIN_PATH}?next=%2Fyksikot`);
    expect((await b.request(at(shortSite, unitParquet), { accept: '*/*' })).status).toBe(401);
  });

  it('sign-out clears the session; the next page asks to sign in again', async () => {
    const b = await signedIn('johtaja');
    expect((await b.request(at(site, '/tila'))).status).toBe(200);
    const out = await b.request(at(site, LOGOUT_PATH));
    expect(out.status).toBe(200);
    expect(await out.text()).toContain('Olet kirjautunut ulos');
    expect(b.cookies(site.url).has(SESSION_COOKIE)).toBe(false);
    expect((await b.request(at(site, '/tila'))).status).toBe(302);
  });

  it('a callback without its sign-in cookie, or with a wrong state, is refused without a session', async () => {
    const b = new Browser();
    const res = await b.request(at(site, '/auth/callback?code=abc&state=xyz'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Kirjautuminen epäonnistui');
    const c = new Browser();
    await c.request(at(site, LOGIN_PATH)); // a real sign-in cookie, then a forged answer
    const forged = await c.request(at(site, `/auth/callback?code=abc&state=wrong&iss=${encodeURIComponent(issuer)}`));
    expect(forged.status).toBe(400);
    expect(c.cookies(site.url).has(SESSION_COOKIE)).toBe(false);
    expect(logLines.join('\n')).toMatch(/sign-in refused/);
  });

  it('re-reads which data lie behind which page when the site is rebuilt in place', async () => {
    const b = await signedIn('tietotuki');
    expect((await b.request(at(site, unitParquet), { accept: '*/*' })).status).toBe(403);
    // The new build's /tila also reads the unit table (and its index.html is newer).
    write(
      root,
      'api/tila/evidencemeta.json',
      meta('select * from warehouse.data_status_runs', 'select * from warehouse.unit_data_monthly'),
    );
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'index.html'), later, later);
    expect((await b.request(at(site, unitParquet), { accept: '*/*' })).status).toBe(200);
    write(root, 'api/tila/evidencemeta.json', meta('select * from warehouse.data_status_runs'));
    const evenLater = new Date(Date.now() + 10000);
    utimesSync(join(root, 'index.html'), evenLater, evenLater);
    expect((await b.request(at(site, unitParquet), { accept: '*/*' })).status).toBe(403);
  });

  it('does not follow a sign-in return address off the site', async () => {
    const b = new Browser();
    const login = await b.request(at(site, `${LOGIN_PATH}?next=${encodeURIComponent('//evil.example/x')}`));
    const { url } = await b.navigate(login.headers.get('location') as string, 'johtaja');
    expect(url).toBe(at(site, '/'));
    const c = new Browser();
    const crlf = await c.request(at(site, `${LOGIN_PATH}?next=${encodeURIComponent('/\r\nSet-Cookie: x=1')}`));
    expect((await c.navigate(crlf.headers.get('location') as string, 'johtaja')).url).toBe(at(site, '/'));
  });
});
