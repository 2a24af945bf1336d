import { describe, expect, it } from 'vitest';
import { audiencesOf, classify, covers, mayView, ruleFor } from '../../pipelines/auth/access.js';
import { accessGateFromEnv } from '../../pipelines/auth/access-gate.js';
import { resolveAuthSection, type ResolvedAuth } from '../../pipelines/settings/auth.js';
import { ConfigError, loadConfig, parseConfig } from '../../pipelines/settings/pipeline.js';
import { createLogger } from '../../pipelines/log.js';

const minimal = `
warehouse: { path: data/w.duckdb }
reference: { municipality_key: a.csv, population: b.csv }
`;

const oidc = `
  oidc:
    issuer: https://login.example.fi/realms/sote
    client_id: tiedolla-johtaminen
    client_secret_env: TJ_OIDC_CLIENT_SECRET
    redirect_url: https://kojelauta.example.fi/auth/callback
    cookie_secret_env: TJ_SESSION_SECRET
`;

const mapping = `
  audiences: [johto, yksikko]
  groups: { g-johto: [johto], g-yksikot: [yksikko], g-both: [johto, yksikko] }
  paths: { "/": [johto, yksikko], "/yksikot/": [yksikko], "/tila": [johto] }
`;

function problems(text: string): string {
  try {
    parseConfig(text, 'site.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.unreachable('the configuration was accepted') as never;
}

describe('auth: configuration', () => {
  it('the shipped file: no sign-in, local only, and unit-level staff data kept to an audience', () => {
    const cfg = loadConfig({});
    expect(cfg.site.host).toBe('127.0.0.1');
    const auth = cfg.auth as ResolvedAuth;
    expect(auth.oidc).toBeNull();
    expect(auth.audiences).toEqual(['johto', 'palvelualue', 'yksikko', 'tietotuki']);
    expect(ruleFor('/yksikot/kajaani-ta', auth.paths)?.prefix).toBe('/yksikot');
    expect(mayView('/yksikot', audiencesOf(['tj-esihenkilot'], auth.groups), auth.paths)).toBe(true);
    expect(mayView('/yksikot/kajaani-ta', audiencesOf(['tj-tietotuki'], auth.groups), auth.paths)).toBe(false);
    expect(mayView('/', audiencesOf(['tj-tietotuki'], auth.groups), auth.paths)).toBe(true);
  });

  it('parses oidc with defaults, durations in ms and prefixes longest first', () => {
    const auth = resolveAuthSection(parseConfig(`${minimal}auth:${oidc}${mapping}`, 'site.yaml').auth) as ResolvedAuth;
    expect(auth.oidc).toEqual({
      issuer: 'https://login.example.fi/realms/sote',
      clientId: 'tiedolla-johtaminen',
      clientSecretEnv: 'TJ_OIDC_CLIENT_SECRET',
      redirectUrl: 'https://kojelauta.example.fi/auth/callback',
      cookieSecretEnv: 'TJ_SESSION_SECRET',
      sessionLifetimeMs: 8 * 3_600_000,
      scopes: ['openid', 'profile'],
      groupsClaim: 'groups',
    });
    expect(auth.paths.map((p) => p.prefix)).toEqual(['/yksikot', '/tila', '/']);
  });

  it('without oidc the site stays on a loopback address; with it another host is allowed', () => {
    expect(problems(`${minimal}site: { host: 0.0.0.0 }\nauth:${mapping}`)).toMatch(
      /site\.yaml[\s\S]*site\.host: "0\.0\.0\.0" is not a loopback address: without sign-in \(auth\.oidc\)/,
    );
    expect(problems(`${minimal}site: { host: 10.1.2.3 }\n`)).toMatch(/site\.host/);
    expect(parseConfig(`${minimal}site: { host: 0.0.0.0 }\nauth:${oidc}${mapping}`, 'site.yaml').site.host).toBe('0.0.0.0');
    expect(parseConfig(`${minimal}site: { host: 127.0.0.2 }\n`, 'site.yaml').site.host).toBe('127.0.0.2');
  });

  it('refuses secrets in the file, naming the key and never repeating the value', () => {
    const text = `${minimal}auth:${oidc.replace('client_secret_env: TJ_OIDC_CLIENT_SECRET', 'client_secret: s3cr3t-value-in-the-file')}${mapping}`;
    const message = problems(text);
    expect(message).toMatch(/auth\.oidc\.client_secret: secrets are not read from the configuration file.*client_secret_env/);
    expect(message).not.toContain('s3cr3t');
    expect(problems(`${minimal}auth:${oidc.replace('TJ_SESSION_SECRET', 'correct-horse-battery-staple')}${mapping}`)).toMatch(
      /auth\.oidc\.cookie_secret_env: the name of an environment variable/,
    );
  });

  it('names the key path of every mistake', () => {
    const text = `${minimal}auth:${oidc
      .replace('https://login.example.fi', 'http://login.example.fi')
      .replace('/auth/callback', '/oauth2/return')
      .replace('cookie_secret_env: TJ_SESSION_SECRET', 'cookie_secret_env: TJ_SESSION_SECRET\n    session_lifetime: forever\n    scopes: [profile]')}
  audiences: [johto, yksikko]
  groups: { g-johto: [johto, hallitus] }
  paths: { "/": [johto], "yksikot": [yksikko], "/tila": [tietotuki] }
`;
    const message = problems(text);
    expect(message).toMatch(/auth\.oidc\.issuer: must be https/);
    expect(message).toMatch(/auth\.oidc\.session_lifetime: a duration/);
    expect(message).toMatch(/auth\.oidc\.redirect_url: must be https:\/\/<public host>\/auth\/callback/);
    expect(message).toMatch(/auth\.oidc\.scopes: must include "openid"/);
    expect(message).toMatch(/auth\.groups\.g-johto\.1: "hallitus" is not one of auth\.audiences \(johto, yksikko\)/);
    expect(message).toMatch(/auth\.paths\.yksikot: a page path prefix/);
    expect(message).toMatch(/auth\.paths\.\/tila\.0: "tietotuki" is not one of auth\.audiences/);
  });

  it('serve without the secrets in the environment: a ConfigError naming the key and the variable', () => {
    const auth = resolveAuthSection(parseConfig(`${minimal}auth:${oidc}${mapping}`, 'site.yaml').auth);
    const log = createLogger(() => {});
    const attempt = (env: NodeJS.ProcessEnv) => () => accessGateFromEnv(auth, 'site.yaml', env, log);
    expect(attempt({})).toThrow(/auth\.oidc\.cookie_secret_env: the environment variable TJ_SESSION_SECRET must hold/);
    expect(attempt({})).toThrow(/auth\.oidc\.client_secret_env: the environment variable TJ_OIDC_CLIENT_SECRET is not set/);
    expect(attempt({ TJ_SESSION_SECRET: 'short', TJ_OIDC_CLIENT_SECRET: 'x' })).toThrow(/at least 32 characters/);
    const gate = accessGateFromEnv(auth, 'site.yaml', { TJ_SESSION_SECRET: 'k'.repeat(32), TJ_OIDC_CLIENT_SECRET: 'x' }, log);
    expect(gate).not.toBeNull();
    expect(accessGateFromEnv(resolveAuthSection(parseConfig(`${minimal}auth:${mapping}`, 'x.yaml').auth), 'x.yaml', {}, log)).toBeNull();
  });
});

describe('auth: paths and audiences', () => {
  const rules = [
    { prefix: '/yksikot', audiences: ['yksikko'] },
    { prefix: '/tila', audiences: ['johto'] },
    { prefix: '/', audiences: ['johto', 'yksikko'] },
  ];

  it('a prefix covers whole path segments only', () => {
    expect(covers('/yksikot', '/yksikot')).toBe(true);
    expect(covers('/yksikot', '/yksikot/kajaani-ta')).toBe(true);
    expect(covers('/yksikot', '/yksikotx')).toBe(false);
    expect(covers('/', '/anything')).toBe(true);
  });

  it('the longest covering prefix decides; no covering rule means nobody', () => {
    expect(mayView('/yksikot/a', ['johto'], rules)).toBe(false);
    expect(mayView('/yksikot/a', ['yksikko'], rules)).toBe(true);
    expect(mayView('/tilastot', ['yksikko'], rules)).toBe(true);
    expect(mayView('/tila', ['yksikko'], rules)).toBe(false);
    expect(mayView('/vaesto', [], rules)).toBe(false);
    expect(mayView('/vaesto', ['johto'], rules.slice(0, 2))).toBe(false);
  });

  it('groups give the union of their audiences; unknown groups none', () => {
    expect(audiencesOf(['g-both', 'g-johto', 'nobody'], { 'g-johto': ['johto'], 'g-both': ['yksikko', 'johto'] })).toEqual(['johto', 'yksikko']);
    expect(audiencesOf(['nobody'], { 'g-johto': ['johto'] })).toEqual([]);
  });

  it('classifies request paths the way the static server resolves them', () => {
    expect(classify('/')).toEqual({ kind: 'page', path: '/' });
    expect(classify('/index.html')).toEqual({ kind: 'page', path: '/' });
    expect(classify('/yksikot/')).toEqual({ kind: 'page', path: '/yksikot' });
    expect(classify('/yksikot/kajaani-ta/index.html')).toEqual({ kind: 'page', path: '/yksikot/kajaani-ta' });
    expect(classify('/yksikot/kajaani-ta.html.gz')).toEqual({ kind: 'page', path: '/yksikot/kajaani-ta' });
    expect(classify('//t%69la')).toEqual({ kind: 'page', path: '/tila' });
    expect(classify('/data/warehouse/unit_data_monthly/abc/unit_data_monthly.parquet.br')).toEqual({
      kind: 'table',
      source: 'warehouse',
      table: 'unit_data_monthly',
    });
    expect(classify('/data/manifest.json')).toEqual({ kind: 'shared' });
    expect(classify('/data/other.json')).toEqual({ kind: 'unknown-data' });
    expect(classify(`/api/prerendered_queries/${'ab'.repeat(16)}.arrow`)).toEqual({ kind: 'result', hash: 'ab'.repeat(16) });
    expect(classify(`/api/${'ab'.repeat(16)}/${'cd'.repeat(16)}/all-queries.json`)).toEqual({ kind: 'route-results', routeHash: 'ab'.repeat(16) });
    expect(classify('/api/yksikot/%5Bunit%5D/evidencemeta.json')).toEqual({ kind: 'route-meta', route: '/yksikot/[unit]' });
    expect(classify('/api/evidencemeta.json')).toEqual({ kind: 'route-meta', route: '/' });
    expect(classify('/api/pagesManifest.json')).toEqual({ kind: 'shared' });
    expect(classify('/api/something-else.json')).toEqual({ kind: 'unknown-data' });
    expect(classify('/_app/immutable/chunks/x.js')).toEqual({ kind: 'shared' });
    expect(classify('/favicon.ico')).toEqual({ kind: 'shared' });
    for (const bad of ['/../etc/passwd', '/yksikot/%2e%2e/tila', '/a/%00', '/%E0%A4%A', '/a\\b']) expect(classify(bad), bad).toBeNull();
  });
});
