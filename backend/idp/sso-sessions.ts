import { randomBytes, randomUUID } from 'node:crypto';
import type { CookieOptions } from 'express';
import type { Idp } from './idp.js';
import type { SsoSessionRecord, UserRecord } from './store.js';
import type { GrantStatus } from './admin-views.js';

export const SSO_COOKIE = 'fusionauth.sso';
/** FusionAuth's SSO cookie is persistent for decades; the server-side session decides (Chromium caps it at 400 days). */
const SSO_COOKIE_MAX_AGE_MS = 70 * 365 * 86_400_000;


/** The tenant's session timeout counts from the last use: an SSO session that keeps being used stays alive. */
export function ssoExpiresInstant(idp: Idp, s: SsoSessionRecord): number {
  const byInactivity = s.lastUsedInstant + idp.ctx.config.ttl.ssoSessionSeconds * 1000;
  return s.expiredInstant === null ? byInactivity : Math.min(byInactivity, s.expiredInstant);
}

export function ssoStatus(idp: Idp, s: SsoSessionRecord): GrantStatus {
  if (s.revokedInstant !== null) return 'revoked';
  return idp.now() >= ssoExpiresInstant(idp, s) ? 'expired' : 'active';
}

/** HttpOnly, SameSite=Lax, host-only (no Domain), Path=/; Secure as configured. */
export function ssoCookieOptions(idp: Idp): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: idp.ctx.config.secureCookies, maxAge: SSO_COOKIE_MAX_AGE_MS };
}

export function createSsoSession(idp: Idp, user: UserRecord, authInstant: number): SsoSessionRecord {
  const now = idp.now();
  const session: SsoSessionRecord = {
    id: randomUUID(),
    token: randomBytes(32).toString('base64url'),
    userId: user.id,
    startInstant: now,
    lastUsedInstant: now,
    authInstant,
    expiredInstant: null,
    revokedInstant: null,
    revokedReason: null,
  };
  idp.store.insertSsoSession(session);
  idp.emit('idp.sso.created', { ssoSessionId: session.id, userId: user.id, email: user.email, expiresInstant: ssoExpiresInstant(idp, session) });
  return session;
}

/** The live SSO session the cookie points at, if any; a cookie alone proves nothing. */
export function activeSsoSession(idp: Idp, cookieValue: string | undefined): SsoSessionRecord | undefined {
  if (!cookieValue) return undefined;
  const session = idp.store.ssoSessionByToken(cookieValue);
  return session && ssoStatus(idp, session) === 'active' ? session : undefined;
}

export function reuseSsoSession(idp: Idp, session: SsoSessionRecord, user: UserRecord, app: string): void {
  idp.store.touchSsoSession(session.id, idp.now());
  idp.emit('idp.sso.reused', { ssoSessionId: session.id, userId: user.id, email: user.email, app });
}
