import type { LoginResult } from '../../fusionauth/types.js';

/** What the application backend answers the browser when FusionAuth's Login API does not log the user in. */
export interface LoginRefusal {
  status: number;
  code: string;
  message: string;
}

/**
 * FusionAuth's Login API statuses that mean "no session here", each with its own answer. 203, 212, 213 and 242
 * arrive as results (2xx, and some carry a token the app must not use; 202 is NOT_REGISTERED below); 400, 404,
 * 409, 410 and 423 as errors.
 */
const REFUSALS: Readonly<Record<number, LoginRefusal>> = {
  203: { status: 403, code: 'password_change_required', message: 'This account must change its password before it can log in. Change it at the identity server, then log in again.' },
  212: { status: 403, code: 'email_not_verified', message: "This account's email address is not verified yet. Follow the link in the verification email, then log in again." },
  213: { status: 403, code: 'registration_not_verified', message: "This account's registration for this application is not verified yet. Follow the link in the verification email, then log in again." },
  242: { status: 403, code: 'two_factor_required', message: 'This account uses two-factor authentication, which this login form does not support.' },
  400: { status: 400, code: 'invalid_request', message: 'The identity server could not read those credentials.' },
  404: { status: 401, code: 'invalid_credentials', message: 'That email and password do not match an account.' },
  409: { status: 403, code: 'login_prevented', message: 'An action on this account prevents it from logging in for now (for example a lock after too many failed attempts, or a suspension).' },
  410: { status: 403, code: 'user_expired', message: 'This account has expired.' },
  423: { status: 423, code: 'locked', message: 'This account is locked after too many failed attempts. Try again later.' },
};

/**
 * The answer for a Login API error status (thrown by the client), or undefined when it is not a refusal. A 409
 * names the preventing action's reason when FusionAuth sends one (`actions[].localizedReason`, e.g. a lock after
 * failed logins).
 */
export function loginRefusal(fusionAuthStatus: number, body?: unknown): LoginRefusal | undefined {
  const refusal = fusionAuthStatus >= 400 ? REFUSALS[fusionAuthStatus] : undefined;
  if (!refusal || fusionAuthStatus !== 409) return refusal;
  const reason = preventingReason(body);
  return reason ? { ...refusal, message: `${refusal.message} FusionAuth's reason: ${reason}.` } : refusal;
}

function preventingReason(body: unknown): string | undefined {
  const actions = (body as { actions?: unknown } | undefined)?.actions;
  if (!Array.isArray(actions)) return undefined;
  for (const action of actions as Array<Record<string, unknown> | null>) {
    const reason = action?.localizedReason ?? action?.reason;
    if (typeof reason === 'string' && reason.trim() !== '') return reason.trim().replace(/\.$/, '');
  }
  return undefined;
}

const NOT_REGISTERED: LoginRefusal = { status: 403, code: 'not_registered', message: 'This account is not registered for this application.' };

/**
 * The answer for a Login API result that gives no session. A 200 without a token or user (noJWT, or a FusionAuth
 * that sends none) is treated as not registered, as 202 is.
 */
export function resultRefusal(status: LoginResult['status']): LoginRefusal {
  return (status === 200 ? undefined : REFUSALS[status]) ?? NOT_REGISTERED;
}
