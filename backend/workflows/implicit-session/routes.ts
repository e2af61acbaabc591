import express, { type Request, type Response } from 'express';
import { decodeJwt } from 'jose';
import { startSession, type AppServices } from '../../app/app-services.js';
import { isIdentityOutage } from '../../app/identity-outage.js';
import { userFromFusionAuth, userFromTrustedJwt } from '../../app/session-user.js';
import { sendError } from '../../errors.js';
import { FusionAuthError } from '../../fusionauth/errors.js';
import { JwtInvalidError } from '../../fusionauth/jwt-verifier.js';
import type { SessionUser } from '../../sessions/session-data.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const REASONS: Record<string, string> = {
  expired: 'The token has expired.',
  audience: 'The token was issued for another application (aud does not match this app).',
  signature: 'The token’s signature does not verify against the identity server’s keys.',
  issuer: 'The token was not issued by the configured identity server.',
  algorithm: 'The token’s algorithm is not accepted (only the identity server’s asymmetric keys are).',
  malformed: 'The token is not a well-formed JWT.',
};

/**
 * POST /api/session — the start-session API: the SPA posts the JWT it read from the URL fragment.
 * The JWT came through the browser, so it is verified (signature via JWKS, iss, aud, exp) before it opens a session.
 */
export function startSessionRoutes(services: AppServices): express.Router {
  const router = express.Router();
  router.post('/session', async (req: Request, res: Response) => {
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) return sendError(res, 400, 'missing_token', 'Send the JWT as JSON: { "token": "<JWT>" }.');
    if (token.length > 8192 || !JWT_SHAPE.test(token)) return sendError(res, 400, 'malformed_token', REASONS.malformed!);
    try {
      await services.verifyJwt(token, { checkAudience: services.switches.audienceCheck });
    } catch (err) {
      if (err instanceof JwtInvalidError && !isIdentityOutage(err)) return sendError(res, 401, `invalid_token_${err.reason}`, REASONS[err.reason] ?? 'The token is not valid.');
      throw err;
    }
    // Under FusionAuth's Strict scope policy (its default) an access token names its user by `sub` only: ask the User API.
    const sub = decodeJwt(token).sub;
    if (typeof sub !== 'string' || sub === '') return sendError(res, 401, 'invalid_token_claims', 'The token names no user (sub is required).');
    let user = userFromTrustedJwt(token);
    if (!user) {
      try {
        user = userFromFusionAuth((await services.identity.retrieveUser(sub)).user);
      } catch (err) {
        if (err instanceof FusionAuthError && err.status === 404) return sendError(res, 401, 'invalid_token_claims', 'The token names a user the identity server does not know.');
        throw err;
      }
    }
    await startSession(services, req, user, token, 'start-session');
    res.json({ user });
  });
  return router;
}

/** No refresh tokens in the implicit grant: a live session is the only way in; after that the SPA goes back to authorize. */
export async function resumeSessionOnly(req: Request): Promise<SessionUser | undefined> {
  return req.session.user;
}
