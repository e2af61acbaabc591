import type { Idp } from './idp.js';
import { burnPasswordWork, verifyPassword } from './passwords.js';
import type { UserRecord } from './store.js';

export type AuthenticationFailure = 'unknown-user' | 'bad-password' | 'locked';
export type AuthenticationResult = { ok: true; user: UserRecord } | { ok: false; reason: AuthenticationFailure; user?: UserRecord; lockedUntil?: number };

/** The failed-authentication settings: off unless configured, as in a default FusionAuth tenant. */
function lockout(idp: Idp) {
  const identity = idp.ctx.config.identity;
  return identity.kind === 'embedded' && identity.lockout.enabled ? identity.lockout : undefined;
}

function lockedUntil(idp: Idp, userId: string): number | undefined {
  if (!lockout(idp)) return undefined;
  const until = idp.store.failedLogin(userId)?.lockedUntil;
  return until != null && idp.now() < until ? until : undefined;
}

function recordFailure(idp: Idp, userId: string): void {
  const settings = lockout(idp);
  if (!settings) return;
  const now = idp.now();
  const previous = idp.store.failedLogin(userId);
  const windowOpen = previous && now - previous.firstFailureInstant < settings.resetCountInSeconds * 1000;
  const count = windowOpen ? previous.count + 1 : 1;
  idp.store.saveFailedLogin({
    userId,
    count,
    firstFailureInstant: windowOpen ? previous.firstFailureInstant : now,
    lockedUntil: count >= settings.tooManyAttempts ? now + settings.actionDurationSeconds * 1000 : null,
  });
}

/**
 * Checks a login id and password, as the Login API and the hosted page both do. Emits idp.login.failed on
 * failure; the caller emits idp.login.succeeded once it knows the application and the outcome.
 */
export async function authenticate(idp: Idp, loginId: string, password: string, app: string | undefined): Promise<AuthenticationResult> {
  const user = idp.store.userByEmail(loginId);
  const fail = (reason: AuthenticationFailure, until?: number): AuthenticationResult => {
    idp.emit('idp.login.failed', { loginId, reason, ...(user && { userId: user.id }), ...(app && { app }) });
    return { ok: false, reason, ...(user && { user }), ...(until !== undefined && { lockedUntil: until }) };
  };
  if (!user) {
    await burnPasswordWork(password);
    return fail('unknown-user');
  }
  const locked = lockedUntil(idp, user.id);
  if (locked !== undefined) return fail('locked', locked);
  if (!(await verifyPassword(password, user.password))) {
    recordFailure(idp, user.id);
    const now = lockedUntil(idp, user.id);
    return now !== undefined ? fail('locked', now) : fail('bad-password');
  }
  idp.store.clearFailedLogins(user.id);
  return { ok: true, user };
}
