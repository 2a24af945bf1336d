/**
 * A real OpenID provider for the sign-in tests: oidc-provider (a devDependency) on 127.0.0.1, with its built-in
 * login and consent forms and a few accounts whose groups the tokens carry (in userinfo, the provider's default).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { createAccessGate, type AccessGate } from '../../pipelines/auth/access-gate.js';
import { resolveAuthSection, type ResolvedAuth } from '../../pipelines/settings/auth.js';
import { parseConfig } from '../../pipelines/settings/pipeline.js';
import type { Logger } from '../../pipelines/log.js';

export const CLIENT_ID = 'tiedolla-johtaminen';
export const CLIENT_SECRET = 'client-secret-for-the-local-test-provider';
export const COOKIE_SECRET = 'a-cookie-secret-of-at-least-32-characters!';

/** The accounts of the local provider and the groups their tokens carry (group names of config/pipeline.yaml). */
export const ACCOUNTS: Record<string, { name: string; groups: string[] }> = {
  esihenkilo: { name: 'Eeva Esihenkilö', groups: ['tj-esihenkilot'] },
  tietotuki: { name: 'Tiina Tietotuki', groups: ['tj-tietotuki', 'unknown-group'] },
  johtaja: { name: 'Juha Johtaja', groups: ['tj-johto'] },
  ulkopuolinen: { name: 'Ulla Ulkopuolinen', groups: ['some-other-group'] },
};

/** A port free on 127.0.0.1 now (the site's redirect URL must be known before the provider starts). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface LocalProvider {
  issuer: string;
  /** Requests to the userinfo endpoint so far. */
  userinfoRequests(): number;
  close(): Promise<void>;
}

/**
 * Starts the provider on 127.0.0.1 for a client that may return to `redirectUris`. By default the profile and groups
 * claims are in userinfo only (the OpenID Connect default); `claimsInIdToken` puts them in the ID token as Entra ID
 * and Keycloak do.
 */
export async function startLocalProvider(
  redirectUris: string[],
  opts: { claimsInIdToken?: boolean } = {},
): Promise<LocalProvider> {
  let callback: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  let userinfo = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/me')) userinfo++;
    callback?.(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    scopes: ['openid', 'profile', 'groups'],
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    findAccount: (_ctx: unknown, id: string) =>
      ACCOUNTS[id]
        ? { accountId: id, claims: () => ({ sub: id, name: ACCOUNTS[id]?.name, groups: ACCOUNTS[id]?.groups }) }
        : undefined,
    cookies: { keys: ['local-provider-cookie-key'] },
    conformIdTokenClaims: !opts.claimsInIdToken,
  });
  callback = provider.callback();
  return { issuer, userinfoRequests: () => userinfo, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The shipped mapping's shape (audiences, groups, paths of config/pipeline.yaml) with oidc at the local provider. */
export function testAuth(
  issuer: string,
  siteUrl: string,
  lifetime = '8h',
): ResolvedAuth & { oidc: NonNullable<ResolvedAuth['oidc']> } {
  const text = `
warehouse: { path: data/w.duckdb }
reference: { municipality_key: a.csv, population: b.csv }
auth:
  oidc:
    issuer: ${issuer}
    client_id: ${CLIENT_ID}
    client_secret_env: TJ_TEST_CLIENT_SECRET
    redirect_url: ${siteUrl}auth/callback
    cookie_secret_env: TJ_TEST_SESSION_SECRET
    session_lifetime: ${lifetime}
    scopes: [openid, profile, groups]
  audiences: [johto, palvelualue, yksikko, tietotuki]
  groups:
    tj-johto: [johto]
    tj-palvelualueet: [palvelualue]
    tj-esihenkilot: [yksikko]
    tj-tietotuki: [tietotuki]
  paths:
    "/": [johto, palvelualue, yksikko, tietotuki]
    "/yksikot": [johto, palvelualue, yksikko]
    "/toteutus": [johto, palvelualue, tietotuki]
    "/tila": [johto, tietotuki]
`;
  const auth = resolveAuthSection(parseConfig(text, 'test.yaml').auth) as ResolvedAuth;
  return { ...auth, oidc: auth.oidc! };
}

/** The access gate for a site at `siteUrl` signing in at the local provider. */
export function testGate(issuer: string, siteUrl: string, log: Logger, lifetime = '8h'): AccessGate {
  return createAccessGate(testAuth(issuer, siteUrl, lifetime), { clientSecret: CLIENT_SECRET, cookieSecret: COOKIE_SECRET }, log);
}
