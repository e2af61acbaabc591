import type { Idp } from './idp.js';
import { burnPasswordWork, verifyPassword } from './passwords.js';
import type { UserRecord } from './store.js';

/** FusionAuth's tenant failed-authentication defaults: 5 failures within 60 s lock the user for 3 minutes. */
export const LOCKOUT = { tooManyAttempts: 5, resetCountInSeconds: 60, actionDurationSeconds: 180 } as const;

export type AuthenticationFailure = 'unknown-user' | 'bad-password' | 'locked';
export type AuthenticationResult = { ok: true; user: UserRecord } | { ok: false; reason: AuthenticationFailure; user?: UserRecord };

function isLocked(idp: Idp, userId: string): boolean {
  const failed = idp.store.failedLogin(userId);
  return failed?.lockedUntil != null && idp.now() < failed.lockedUntil;
}

function recordFailure(idp: Idp, userId: string): void {
  const now = idp.now();
  const previous = idp.store.failedLogin(userId);
  const windowOpen = previous && now - previous.firstFailureInstant < LOCKOUT.resetCountInSeconds * 1000;
  const count = windowOpen ? previous.count + 1 : 1;
  idp.store.saveFailedLogin({
    userId,
    count,
    firstFailureInstant: windowOpen ? previous.firstFailureInstant : now,
    lockedUntil: count >= LOCKOUT.tooManyAttempts ? now + LOCKOUT.actionDurationSeconds * 1000 : null,
  });
}

/**
 * Checks a login id and password, as the Login API and the hosted page both do. Emits idp.login.failed on
 * failure; the caller emits idp.login.succeeded once it knows the application and the outcome.
 */
export async function authenticate(idp: Idp, loginId: string, password: string, app: string | undefined): Promise<AuthenticationResult> {
  const user = idp.store.userByEmail(loginId);
  const fail = (reason: AuthenticationFailure): AuthenticationResult => {
    idp.emit('idp.login.failed', { loginId, reason, ...(user && { userId: user.id }), ...(app && { app }) });
    return user ? { ok: false, reason, user } : { ok: false, reason };
  };
  if (!user) {
    await burnPasswordWork(password);
    return fail('unknown-user');
  }
  if (isLocked(idp, user.id)) return fail('locked');
  if (!(await verifyPassword(password, user.password))) {
    recordFailure(idp, user.id);
    return fail(isLocked(idp, user.id) ? 'locked' : 'bad-password');
  }
  idp.store.clearFailedLogins(user.id);
  return { ok: true, user };
}
