/**
 * Session and sign-in-transaction cookies: JSON claims sealed as an encrypted JWT (JWE, `dir` + A256GCM, from jose,
 * which openid-client already uses). AES-GCM authenticates as well as encrypts, so a cookie can be neither read nor
 * altered without the key; `exp` is inside the sealed claims, so an old cookie is refused even if a browser keeps it.
 * Each purpose (session, sign-in) has its own key derived from the secret (HKDF-SHA-256), so one cannot stand in for
 * the other.
 */
import { hkdfSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';

export const MIN_SECRET_LENGTH = 32;

export type CookiePurpose = 'session' | 'signin';

export interface CookieOptions {
  /** Send only over https (when the public address, the redirect URL, is https). */
  secure: boolean;
}

export class CookieSealer {
  private readonly keys: Record<CookiePurpose, Uint8Array>;

  constructor(secret: string) {
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`the cookie secret must be at least ${MIN_SECRET_LENGTH} characters`);
    const key = (purpose: string) => new Uint8Array(hkdfSync('sha256', secret, 'tiedolla-johtaminen', purpose, 32));
    this.keys = { session: key('session'), signin: key('signin') };
  }

  /** Seals `claims` for `lifetimeMs` from now. */
  seal(purpose: CookiePurpose, claims: JWTPayload, lifetimeMs: number, now = Date.now()): Promise<string> {
    return new EncryptJWT(claims)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor((now + lifetimeMs) / 1000))
      .encrypt(this.keys[purpose]);
  }

  /** The claims of a sealed value, or null when it is missing, forged, for another purpose or expired. */
  async open(purpose: CookiePurpose, sealed: string | undefined): Promise<JWTPayload | null> {
    if (!sealed) return null;
    try {
      const { payload } = await jwtDecrypt(sealed, this.keys[purpose], { clockTolerance: 0 });
      return payload;
    } catch {
      return null;
    }
  }
}

/** The value of one cookie of the request. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Adds a Set-Cookie header: HttpOnly, SameSite=Lax (sent on the provider's redirect back), Path=/. */
export function setCookie(res: ServerResponse, name: string, value: string, maxAgeS: number, opts: CookieOptions): void {
  const attrs = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeS))}`];
  if (opts.secure) attrs.push('Secure');
  const previous = res.getHeader('set-cookie');
  const list = Array.isArray(previous) ? previous : previous ? [String(previous)] : [];
  res.setHeader('set-cookie', [...list, attrs.join('; ')]);
}

export function clearCookie(res: ServerResponse, name: string, opts: CookieOptions): void {
  setCookie(res, name, '', 0, opts);
}
