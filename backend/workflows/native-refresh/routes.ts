import express, { type Request, type Response } from 'express';
import { decodeJwt } from 'jose';
import { joinSession, refreshTokenCookie, startSession, type AppServices, type RefreshedSession } from '../../app/app-services.js';
import { userFromFusionAuth, userFromTrustedJwt } from '../../app/session-user.js';
import { sendError } from '../../errors.js';
import { parseCookieHeader } from '../../trace/cookies.js';
import { FusionAuthError, isRefreshFailure } from '../../fusionauth/errors.js';
import type { SessionUser } from '../../sessions/session-data.js';
import { loginRefusal, resultRefusal } from './login-errors.js';

/** The refresh-token cookie outlives the refresh token (design.md): the identity server decides when it is dead. */
const REFRESH_COOKIE_EXTRA_MS = 24 * 3600 * 1000;

function setRefreshCookie(services: AppServices, res: Response, token: string): void {
  const maxAge = services.ctx.config.ttl.refreshTokenMinutes * 60_000 + REFRESH_COOKIE_EXTRA_MS;
  res.cookie(services.cookieNames.refreshToken, token, { ...services.cookieOptions, maxAge });
}

/** POST /api/login: the native login form's AJAX post, passed on to the Login API. */
export function nativeLoginRoutes(services: AppServices): express.Router {
  const router = express.Router();
  router.post('/login', async (req: Request, res: Response) => {
    const body = req.body as { email?: unknown; password?: unknown } | undefined;
    const email = typeof body?.email === 'string' ? body.email.trim() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    if (!email || !password) return sendError(res, 400, 'missing_credentials', 'Enter both your email and your password.');
    let result;
    try {
      result = await services.identity.login({ loginId: email, password, applicationId: services.applicationId });
    } catch (err) {
      const refusal = err instanceof FusionAuthError ? loginRefusal(err.status, err.body) : undefined;
      if (refusal) return sendError(res, refusal.status, refusal.code, refusal.message);
      throw err;
    }
    if (result.status !== 200 || !result.response.token || !result.response.user) {
      const refusal = resultRefusal(result.status);
      return sendError(res, refusal.status, refusal.code, refusal.message);
    }
    const user = userFromFusionAuth(result.response.user);
    await startSession(services, req, user, result.response.token, 'login');
    if (result.response.refreshToken) setRefreshCookie(services, res, result.response.refreshToken);
    // The identity server's own Set-Cookie headers (access_token, refresh_token on its host) are never passed on.
    res.json({ user });
  });
  return router;
}

/**
 * Who is this request's user? The session if it is alive; otherwise, with a refresh-token cookie,
 * a refresh at the identity server and a new session (seed steps 14–18); if that is refused, nobody (steps 19–22).
 * Requests that carry the same refresh cookie at the same time share one refresh and one new session.
 */
export async function resumeWithRefreshToken(req: Request, res: Response, services: AppServices): Promise<SessionUser | undefined> {
  if (req.session.user) return req.session.user;
  const refreshToken = refreshTokenCookie(req, services);
  if (refreshToken === undefined) return undefined;
  if (refreshToken === null) {
    res.clearCookie(services.cookieNames.refreshToken, services.cookieOptions);
    return undefined;
  }
  // A browser's burst carries the same expired session cookie; a client with only the refresh cookie (a script,
  // the attacker) shares only a refresh that is still running, so each of its later requests shows its own refresh.
  const sessionCookie = parseCookieHeader(req.headers.cookie)[services.cookieNames.session];
  const { value: refreshed, led } = await services.refreshes.run(`${refreshToken}\n${sessionCookie ?? ''}`, () => refreshSession(req, services, refreshToken), {
    remember: sessionCookie !== undefined,
  });
  if (!refreshed) return undefined;
  if (!led && !(await joinSession(services, req, refreshed.sid))) return undefined;
  if (refreshed.rotatedRefreshToken) setRefreshCookie(services, res, refreshed.rotatedRefreshToken);
  return refreshed.user;
}

/** Steps 15–17: the refresh call and the session it opens, for the request that leads a shared refresh. */
async function refreshSession(req: Request, services: AppServices, refreshToken: string): Promise<RefreshedSession | undefined> {
  let refreshed;
  try {
    refreshed = await services.identity.refresh(refreshToken);
  } catch (err) {
    // Refused: nobody is logged in. The cookie is left alone: with one-time-use tokens a concurrent request may
    // have just rotated it, and clearing it here could delete the fresh one the browser got a moment ago.
    if (isRefreshFailure(err)) return undefined;
    throw err;
  }
  // Access tokens carry the email at most (none under FusionAuth's Strict scope policy) and never the name: ask for
  // the user by id, so the page greets them by name after a refresh as after the login.
  const fromJwt = userFromTrustedJwt(refreshed.token);
  const user = fromJwt && fromJwt.fullName !== fromJwt.email ? fromJwt : userFromFusionAuth((await services.identity.retrieveUser(String(decodeJwt(refreshed.token).sub))).user);
  await startSession(services, req, user, refreshed.token, 'refresh');
  return { sid: req.sessionID, user, ...(refreshed.refreshToken !== refreshToken && { rotatedRefreshToken: refreshed.refreshToken }) };
}
