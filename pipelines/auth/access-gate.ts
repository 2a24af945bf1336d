/**
 * The access gate in front of the static site when `auth.oidc` is configured (docs/operations.md):
 * - `/auth/login` starts the OpenID Connect authorization-code flow with PKCE (S256), state and nonce kept in a sealed
 *   10-minute cookie; `/auth/callback` (the path of redirect_url) redeems the code, reads the groups claim (ID token,
 *   else userinfo), maps the groups to audiences and sets the session cookie; `/auth/logout` clears it.
 * - every other request needs a valid session: a page without one is sent to sign in, anything else gets 401;
 *   a page outside the user's audiences gets the Finnish "Ei käyttöoikeutta" page (403), a data file behind such
 *   pages a plain 403 (pipelines/auth/access.ts decides).
 * The OpenID Connect protocol work (discovery, PKCE, token and ID token validation, userinfo) is openid-client's.
 */
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { ConfigError } from '../settings/pipeline.js';
import type { Logger } from '../log.js';
import { registerSecret } from '../safe-text.js';
import { audiencesOf, classify, mayFetch, readSiteIndex, type SiteIndex } from './access.js';
import type { ResolvedAuth } from '../settings/auth.js';
import { noAccessPage, signedOutPage, signInFailedPage } from './pages.js';
import { clearCookie, CookieSealer, MIN_SECRET_LENGTH, readCookie, setCookie, type CookieOptions } from './session-cookie.js';

export const SESSION_COOKIE = 'tj_session';
const SIGNIN_COOKIE = 'tj_signin';
const SIGNIN_LIFETIME_MS = 10 * 60_000;
export const LOGIN_PATH = '/auth/login';
export const LOGOUT_PATH = '/auth/logout';

export interface AccessGate {
  /** Answers the request itself (true) or lets the static site serve it (false). `siteRoot`: the build served now. */
  handle(req: IncomingMessage, res: ServerResponse, siteRoot: string): Promise<boolean>;
  /** Tries discovery at the provider once (for the start-up message); sign-in retries it when it failed. */
  check(): Promise<string | null>;
}

export interface GateSecrets {
  clientSecret: string | null;
  cookieSecret: string;
}

type OidcSettings = NonNullable<ResolvedAuth['oidc']>;

/** A same-site path to return to after sign-in, else "/". */
function localPath(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) && !/[\u0000-\u001f\u007f]/.test(next) ? next : '/';
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): true {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', 'no-store');
  res.end(body);
  return true;
}

function redirect(res: ServerResponse, location: string): true {
  res.statusCode = 302;
  res.setHeader('location', location);
  res.setHeader('cache-control', 'no-store');
  res.end();
  return true;
}

/** The groups claim as a list of strings (a single string counts as one group). */
function groupsIn(claims: Record<string, unknown> | undefined, claim: string): string[] | undefined {
  const value = claims?.[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

export function createAccessGate(auth: ResolvedAuth & { oidc: OidcSettings }, secrets: GateSecrets, log: Logger): AccessGate {
  const settings = auth.oidc;
  const sealer = new CookieSealer(secrets.cookieSecret);
  const cookieOpts: CookieOptions = { secure: new URL(settings.redirectUrl).protocol === 'https:' };
  const callbackPath = new URL(settings.redirectUrl).pathname;
  const issuer = new URL(settings.issuer);

  let discovered: Promise<oidc.Configuration> | null = null;
  const configuration = (): Promise<oidc.Configuration> =>
    (discovered ??= oidc
      .discovery(
        issuer,
        settings.clientId,
        undefined,
        secrets.clientSecret ? oidc.ClientSecretPost(secrets.clientSecret) : oidc.None(),
        // http only for a provider on this machine (the config refuses it elsewhere): the tests' local provider.
        { timeout: 10, execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [] },
      )
      .catch((e: unknown) => {
        discovered = null;
        throw e;
      }));

  // Re-read when the served build changes: another folder (a switched data/site/current) or a rebuilt one in place.
  let index: { key: string; index: SiteIndex } | null = null;
  const siteIndex = (root: string): SiteIndex => {
    const key = `${root}\0${statSync(join(root, 'index.html')).mtimeMs}`;
    if (index?.key !== key) index = { key, index: readSiteIndex(root) };
    return index.index;
  };

  async function login(res: ServerResponse, url: URL): Promise<true> {
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (e) {
      log.error('sign-in provider unavailable', { issuer: settings.issuer, reason: (e as Error).message });
      return send(res, 502, signInFailedPage('Kirjautumispalvelu ei juuri nyt vastaa.'));
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const next = localPath(url.searchParams.get('next'));
    setCookie(
      res,
      SIGNIN_COOKIE,
      await sealer.seal('signin', { verifier, state, nonce, next }, SIGNIN_LIFETIME_MS),
      SIGNIN_LIFETIME_MS / 1000,
      cookieOpts,
    );
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUrl,
      scope: settings.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return redirect(res, target.href);
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    const tx = await sealer.open('signin', readCookie(req, SIGNIN_COOKIE));
    clearCookie(res, SIGNIN_COOKIE, cookieOpts);
    if (!tx || typeof tx.verifier !== 'string' || typeof tx.state !== 'string' || typeof tx.nonce !== 'string') {
      return send(res, 400, signInFailedPage('Kirjautuminen vanheni tai aloitettiin toisessa selaimessa.'));
    }
    const current = new URL(settings.redirectUrl);
    current.search = url.search;
    let claims: Record<string, unknown>;
    let groups: string[] | undefined;
    try {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: tx.verifier,
        expectedState: tx.state,
        expectedNonce: tx.nonce,
        idTokenExpected: true,
      });
      claims = (tokens.claims() ?? {}) as Record<string, unknown>;
      groups = groupsIn(claims, settings.groupsClaim);
      if (groups === undefined && config.serverMetadata().userinfo_endpoint) {
        // A provider that keeps profile claims out of the ID token (the OpenID Connect default) has them here.
        const info = (await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))) as Record<string, unknown>;
        claims = { ...info, ...claims };
        groups = groupsIn(info, settings.groupsClaim);
      }
    } catch (e) {
      log.warn('sign-in refused', { reason: (e as Error).message, code: (e as { code?: string }).code });
      return send(res, 400, signInFailedPage('Kirjautumispalvelun vastausta ei voitu hyväksyä.'));
    }
    if (groups === undefined) {
      // Entra ID leaves the groups out ("_claim_names") when a user has too many: emit only the app's groups.
      log.warn('sign-in without a groups claim', {
        claim: settings.groupsClaim,
        overage: !!(claims._claim_names as object | undefined),
      });
    }
    const audiences = audiencesOf(groups ?? [], auth.groups);
    const name = [claims.name, claims.preferred_username, claims.email, claims.sub].find((v) => typeof v === 'string') as string;
    const lifetime = settings.sessionLifetimeMs;
    setCookie(
      res,
      SESSION_COOKIE,
      await sealer.seal('session', { sub: String(claims.sub), name, audiences }, lifetime),
      lifetime / 1000,
      cookieOpts,
    );
    log.info('signed in', { audiences: audiences.join(',') || '-' });
    return redirect(res, localPath(typeof tx.next === 'string' ? tx.next : null));
  }

  return {
    async check() {
      try {
        await configuration();
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    },

    async handle(req, res, siteRoot) {
      try {
        return await answer(req, res, siteRoot);
      } catch (e) {
        log.error('serve: request failed', { reason: (e as Error).message });
        return send(res, 500, 'Palvelinvirhe (500)', 'text/plain; charset=utf-8');
      }
    },
  };

  async function answer(req: IncomingMessage, res: ServerResponse, siteRoot: string): Promise<boolean> {
    if (!req.url?.startsWith('/')) return send(res, 400, 'Virheellinen pyyntö (400)', 'text/plain; charset=utf-8');
    const url = new URL(`http://site${req.url}`);
    if (url.pathname === LOGIN_PATH) return login(res, url);
    if (url.pathname === callbackPath) return callback(req, res, url);
    if (url.pathname === LOGOUT_PATH) {
      clearCookie(res, SESSION_COOKIE, cookieOpts);
      return send(res, 200, signedOutPage());
    }
    const resource = classify(url.pathname);
    if (!resource) return send(res, 400, 'Virheellinen pyyntö (400)', 'text/plain; charset=utf-8');
    const session = await sealer.open('session', readCookie(req, SESSION_COOKIE));
    if (!session) {
      if (resource.kind === 'page') return redirect(res, `${LOGIN_PATH}?next=${encodeURIComponent(url.pathname + url.search)}`);
      return send(res, 401, 'Kirjaudu sisään (401)', 'text/plain; charset=utf-8');
    }
    const audiences = Array.isArray(session.audiences) ? session.audiences.map(String) : [];
    if (mayFetch(resource, audiences, auth.paths, siteIndex(siteRoot))) return false;
    if (resource.kind === 'page') {
      return send(res, 403, noAccessPage({ path: resource.path, user: String(session.name ?? session.sub), audiences }));
    }
    return send(res, 403, 'Ei käyttöoikeutta (403)', 'text/plain; charset=utf-8');
  }
}

/**
 * The gate for `serve` from the configuration and the environment, or null when `auth.oidc` is not configured.
 * A secret missing from the environment is a ConfigError naming the key and the variable (never a value).
 */
export function accessGateFromEnv(
  auth: ResolvedAuth | null,
  file: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
): AccessGate | null {
  if (!auth?.oidc) return null;
  const o = auth.oidc;
  const problems: string[] = [];
  const cookieSecret = env[o.cookieSecretEnv] ?? '';
  if (cookieSecret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `auth.oidc.cookie_secret_env: the environment variable ${o.cookieSecretEnv} must hold a random secret of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 48\`)`,
    );
  }
  const clientSecret = o.clientSecretEnv ? (env[o.clientSecretEnv] ?? '') : null;
  if (o.clientSecretEnv && !clientSecret) {
    problems.push(
      `auth.oidc.client_secret_env: the environment variable ${o.clientSecretEnv} is not set (the client secret from the provider)`,
    );
  }
  if (problems.length) throw new ConfigError(file, problems);
  registerSecret(cookieSecret);
  registerSecret(clientSecret);
  return createAccessGate({ ...auth, oidc: o }, { clientSecret, cookieSecret }, log);
}
