import { decodeJwt } from 'jose';
import type { SessionUser } from '../sessions/session-data.js';

/** The user as an application backend keeps it, from FusionAuth's User object. */
export function userFromFusionAuth(user: { id?: string; email?: string; firstName?: string; lastName?: string; fullName?: string }): SessionUser {
  const email = user.email ?? '';
  const fullName = user.fullName ?? ([user.firstName, user.lastName].filter(Boolean).join(' ') || email);
  return {
    id: user.id ?? '',
    email,
    ...(user.firstName !== undefined && { firstName: user.firstName }),
    ...(user.lastName !== undefined && { lastName: user.lastName }),
    fullName,
  };
}

/**
 * The user from a JWT the backend received straight from the identity server (login or refresh response),
 * so decoding is enough; tokens that arrive from a browser are verified instead (start-session API).
 */
export function userFromTrustedJwt(jwt: string): SessionUser | undefined {
  const claims = decodeJwt(jwt);
  if (typeof claims.sub !== 'string' || typeof claims.email !== 'string') return undefined;
  return userFromFusionAuth({
    id: claims.sub,
    email: claims.email,
    ...(typeof claims.given_name === 'string' && { firstName: claims.given_name }),
    ...(typeof claims.family_name === 'string' && { lastName: claims.family_name }),
    ...(typeof claims.name === 'string' && { fullName: claims.name }),
  });
}
