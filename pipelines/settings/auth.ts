/**
 * The `auth:` section of config/pipeline.yaml (docs/operations.md, "Sign-in and audiences"): OpenID Connect sign-in
 * for `serve`, the provider's groups mapped to audiences, and audiences mapped to page paths.
 * Secrets are never read from the file: the section names the environment variables that hold them.
 */
import { z } from 'zod';
import { Duration, parseDuration } from './ops.js';

const nonEmpty = z.string().trim().min(1);
const AudienceName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'an audience name: lower-case letters, digits, "_" or "-"');
const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable (A-Z, 0-9, _), not its value');
const PathPrefix = z
  .string()
  .regex(/^\/[^?#*\s]*$/, 'a page path prefix such as "/", "/yksikot" or "/ennakointi/skenaariot" (no "?", "#", "*")');
const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'an http(s) URL');

/** Keys that would put a secret into the file: refused with a pointer to the *_env key. */
const SECRET_KEYS: Record<string, string> = { client_secret: 'client_secret_env', cookie_secret: 'cookie_secret_env' };

const OidcFields = z
  .object({
    /** The provider's issuer URL; discovery reads <issuer>/.well-known/openid-configuration. */
    issuer: HttpUrl,
    client_id: nonEmpty,
    /** The environment variable holding the client secret; null = a public client (PKCE only). */
    client_secret_env: EnvName.nullable().default(null),
    /** Where the provider sends the browser back: https://<public host>/auth/callback, registered at the provider. */
    redirect_url: HttpUrl.refine((u) => new URL(u).pathname === '/auth/callback' && !new URL(u).search, {
      message: 'must be https://<public host>/auth/callback (the address serve answers the provider at)',
    }),
    /** The environment variable holding the session cookie key (at least 32 characters). */
    cookie_secret_env: EnvName,
    session_lifetime: Duration.default('8h'),
    scopes: z.array(nonEmpty).min(1).default(['openid', 'profile']),
    /** The claim (ID token, else userinfo) that lists the user's groups: Entra ID and Keycloak call it `groups`. */
    groups_claim: nonEmpty.default('groups'),
  })
  .strict()
  .superRefine((o, ctx) => {
    const problem = (key: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message });
    if (!o.scopes.includes('openid')) problem('scopes', 'must include "openid"');
    if (new URL(o.issuer).protocol === 'http:' && !isLoopbackUrl(o.issuer)) {
      problem('issuer', 'must be https (http only for a provider on this machine)');
    }
  });

/** A secret written into the file is refused (naming the key and the *_env key to use) before anything else. */
const Oidc = z
  .record(z.unknown())
  .superRefine((o, ctx) => {
    for (const [key, envKey] of Object.entries(SECRET_KEYS)) {
      if (key in o) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `secrets are not read from the configuration file: put the value in an environment variable and name it in ${envKey}`,
        });
      }
    }
  })
  .pipe(OidcFields);

export const AuthSection = z
  .object({
    /** OpenID Connect sign-in; null or absent = no sign-in, `serve` listens on this machine only. */
    oidc: Oidc.nullable().default(null),
    audiences: z.array(AudienceName).min(1),
    /** A value of the groups claim (Entra ID: the group's object id; Keycloak: the group path) → its audiences. */
    groups: z.record(nonEmpty, z.array(AudienceName).min(1)),
    /** A page path prefix → the audiences that may see it; the longest matching prefix decides, no match = nobody. */
    paths: z.record(PathPrefix, z.array(AudienceName).min(1)),
  })
  .strict()
  .superRefine((a, ctx) => {
    const known = new Set(a.audiences);
    const check = (section: 'groups' | 'paths', key: string, names: string[]) =>
      names.forEach((n, i) => {
        if (!known.has(n)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [section, key, i],
            message: `"${n}" is not one of auth.audiences (${a.audiences.join(', ')})`,
          });
        }
      });
    for (const [group, names] of Object.entries(a.groups)) check('groups', group, names);
    for (const [prefix, names] of Object.entries(a.paths)) check('paths', prefix, names);
  })
  .optional();
export type AuthSection = z.infer<typeof AuthSection>;

/** Sign-in settings after parsing: durations in ms, prefixes normalised (no trailing slash but "/"). */
export interface ResolvedAuth {
  oidc: {
    issuer: string;
    clientId: string;
    clientSecretEnv: string | null;
    redirectUrl: string;
    cookieSecretEnv: string;
    sessionLifetimeMs: number;
    scopes: string[];
    groupsClaim: string;
  } | null;
  audiences: string[];
  groups: Record<string, string[]>;
  /** Longest prefix first. */
  paths: { prefix: string; audiences: string[] }[];
}

export function resolveAuthSection(a: AuthSection): ResolvedAuth | null {
  if (!a) return null;
  const o = a.oidc;
  return {
    oidc: o && {
      issuer: o.issuer,
      clientId: o.client_id,
      clientSecretEnv: o.client_secret_env,
      redirectUrl: o.redirect_url,
      cookieSecretEnv: o.cookie_secret_env,
      sessionLifetimeMs: parseDuration(o.session_lifetime),
      scopes: o.scopes,
      groupsClaim: o.groups_claim,
    },
    audiences: a.audiences,
    groups: a.groups,
    paths: Object.entries(a.paths)
      .map(([prefix, audiences]) => ({ prefix: normalisePrefix(prefix), audiences }))
      .sort((x, y) => y.prefix.length - x.prefix.length),
  };
}

const normalisePrefix = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') || '/' : p);

/** 127.0.0.0/8, ::1 and localhost: the only hosts `serve` may listen on without sign-in. */
export function isLoopbackHost(h: string): boolean {
  return ['localhost', '::1', '[::1]'].includes(h) || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function isLoopbackUrl(u: string): boolean {
  return isLoopbackHost(new URL(u).hostname);
}
