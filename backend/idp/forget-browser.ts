import express from 'express';
import { sendError } from '../errors.js';
import { APPS } from '../hosts.js';
import { noStore } from '../security-headers.js';
import { parseCookieHeader } from '../trace/cookies.js';
import { CSRF_COOKIE } from './form-guard.js';
import type { Idp } from './idp.js';
import { SSO_COOKIE } from './sso-sessions.js';

/** The identity server's own cookies and their paths; the form token's (/oauth2) never reaches this page, so it is named. */
const OWN_COOKIES: Record<string, string> = { [SSO_COOKIE]: '/', [CSRF_COOKIE]: '/oauth2', access_token: '/', refresh_token: '/' };

/**
 * `GET /loginscope/forget?return=<app URL>`: Loginscope's own page (not FusionAuth's), where an app page sends the
 * browser after a Reset. The identity server's cookies (the SSO cookie first of all) are HttpOnly on this origin,
 * so only an answer from here can expire them; then the browser goes back to the app.
 */
export function forgetBrowserRoute(idp: Idp): express.Router {
  const router = express.Router();
  const apps = APPS.map((app) => idp.ctx.urls[app]);
  router.get('/loginscope/forget', noStore, (req, res) => {
    const back = typeof req.query.return === 'string' ? req.query.return : '';
    let target: URL;
    try {
      target = new URL(back);
    } catch {
      return sendError(res, 400, 'invalid_return', 'return must be the URL of the store or the forum.');
    }
    // Only back to our own apps: this must never become an open redirect.
    if (!apps.includes(target.origin)) return sendError(res, 400, 'invalid_return', 'return must be the URL of the store or the forum.');
    const names = new Set([...Object.keys(OWN_COOKIES), ...Object.keys(parseCookieHeader(req.headers.cookie))]);
    for (const name of names) res.clearCookie(name, { path: OWN_COOKIES[name] ?? '/', httpOnly: true, secure: idp.ctx.config.secureCookies });
    res.redirect(302, target.href);
  });
  return router;
}
