import type { ErrorRequestHandler } from 'express';
import { sendError } from '../errors.js';
import { FusionAuthError } from '../fusionauth/errors.js';
import { JwtInvalidError } from '../fusionauth/jwt-verifier.js';

/** The identity server could not be asked (down, too slow, nonsense, no keys): not the user's fault, not a login problem. */
export class IdentityUnavailableError extends Error {
  override readonly name = 'IdentityUnavailableError';
}

export function isIdentityOutage(err: unknown): boolean {
  if (err instanceof IdentityUnavailableError) return true;
  if (err instanceof JwtInvalidError) return err.reason === 'jwks-unavailable';
  // Routes answer the FusionAuth errors that mean something to the user (bad password, locked, refused refresh);
  // any other that reaches here (down, timeout, 5xx, a rejected API key) is the identity server failing us.
  return err instanceof FusionAuthError;
}

/** One answer for every route of an application backend when the identity server fails: 502, and nothing logged as a crash. */
export const identityOutageHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (!isIdentityOutage(err) || res.headersSent) return next(err);
  sendError(res, 502, 'identity_unavailable', 'The identity server did not answer as expected. Try again in a moment.');
};
