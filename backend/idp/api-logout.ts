import express, { type CookieOptions, type Request, type Router } from 'express';
import { parseCookieHeader } from '../trace/cookies.js';
import { bodyObject, checkTenantHeader, cookieValue, fieldError } from './fusionauth-wire.js';
import type { Idp } from './idp.js';
import { SSO_COOKIE, ssoCookieOptions } from './sso-sessions.js';


/** A request value from the body (JSON or form) or, as the TypeScript client sends them, the query. */
function param(req: Request, name: string): unknown {
  const body = bodyObject(req);
  return body[name] ?? (req.query as Record<string, unknown>)[name];
}

/**
 * `POST /api/logout`: FusionAuth's Logout API. No authentication. Revokes the refresh token named by `refreshToken`
 * (body or query; it wins over the cookie) or the `refresh_token` cookie; with `global` all of that token owner's
 * refresh tokens and SSO sessions. Deletes the `access_token` and `refresh_token` cookies the request carries (and
 * the SSO cookie on a global logout). 200 with no body, also when there was nothing to do.
 */
export function logoutApi(idp: Idp): Router {
  const router = express.Router();
  router.post('/api/logout', checkTenantHeader(idp), (req, res) => {
    const rawGlobal = param(req, 'global');
    if (rawGlobal !== undefined && rawGlobal !== true && rawGlobal !== false && rawGlobal !== 'true' && rawGlobal !== 'false') {
      res.status(400).json(fieldError('global', 'couldNotConvert', 'Invalid [global]: it must be true or false.'));
      return;
    }
    const global = rawGlobal === true || rawGlobal === 'true';
    const rawToken = param(req, 'refreshToken');
    if (rawToken !== undefined && typeof rawToken !== 'string') {
      res.status(400).json(fieldError('refreshToken', 'couldNotConvert', 'Invalid [refreshToken]: it must be a string.'));
      return;
    }
    const value = (rawToken || undefined) ?? cookieValue(req, 'refresh_token');
    const now = idp.now();
    const record = value ? idp.store.refreshTokenByValue(value) : undefined;
    if (record) {
      if (global) {
        for (const t of idp.store.refreshTokens({ userId: record.userId })) idp.store.revokeRefreshToken(t.id, now, 'logout');
        for (const s of idp.store.ssoSessions()) if (s.userId === record.userId && s.revokedInstant === null) idp.store.revokeSsoSession(s.id, now, 'logout');
      } else {
        idp.store.revokeRefreshToken(record.id, now, 'logout');
      }
    }
    const sent = parseCookieHeader(req.headers.cookie);
    const base: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', secure: idp.ctx.config.secureCookies };
    if (sent.access_token !== undefined) res.clearCookie('access_token', base);
    if (sent.refresh_token !== undefined) res.clearCookie('refresh_token', base);
    if (global && record && sent[SSO_COOKIE] !== undefined) {
      const { maxAge: _maxAge, ...sso } = ssoCookieOptions(idp);
      res.clearCookie(SSO_COOKIE, sso);
    }
    res.status(200).end();
  });
  return router;
}
