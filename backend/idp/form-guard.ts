import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { parseCookieHeader } from '../trace/cookies.js';
import type { Idp } from './idp.js';

/** FusionAuth's own name for the cookie its hosted forms bind their CSRF token to. */
export const CSRF_COOKIE = 'fusionauth.csrf';
export const CSRF_FIELD = 'csrfToken';

const tokenFor = (idp: Idp, binding: string) => createHmac('sha256', idp.formKey).update(binding).digest('base64url');

/**
 * The hosted form's CSRF token: an HMAC of a random value kept in an HttpOnly, SameSite=Strict cookie on this origin.
 * Another site can neither read the cookie nor compute the token, so it cannot post the form for a visitor
 * (login CSRF: logging the visitor in as someone; or failing logins to lock the account).
 */
export function formToken(idp: Idp, req: Request, res: Response): string {
  let binding = parseCookieHeader(req.headers.cookie)[CSRF_COOKIE];
  if (!binding || !/^[A-Za-z0-9_-]{22,64}$/.test(binding)) {
    binding = randomBytes(18).toString('base64url');
    res.cookie(CSRF_COOKIE, binding, { httpOnly: true, sameSite: 'strict', path: '/oauth2', secure: idp.ctx.config.secureCookies });
  }
  return tokenFor(idp, binding);
}

/** Why a posted form is refused (undefined: it came from our own page). Checked before any credential is looked at. */
export function formRefusal(idp: Idp, req: Request, submitted: unknown): string | undefined {
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return 'cross-site';
  const origin = req.get('origin');
  // Our pages send `Referrer-Policy: no-referrer`, under which Chromium names even the page's own form's origin
  // `null` (Fetch serialises it so); that is no evidence of another site when Sec-Fetch-Site says same-origin.
  const ownFormUnderNoReferrer = origin === 'null' && fetchSite === 'same-origin';
  if (origin !== undefined && !ownFormUnderNoReferrer && origin !== new URL(idp.publicUrl).origin) return 'cross-site';
  const binding = parseCookieHeader(req.headers.cookie)[CSRF_COOKIE];
  if (!binding || typeof submitted !== 'string') return 'no-token';
  const expected = Buffer.from(tokenFor(idp, binding));
  const given = Buffer.from(submitted);
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'no-token';
}
