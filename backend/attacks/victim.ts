import type { AppServices } from '../app/app-services.js';
import type { GrantStatus } from '../idp/admin-views.js';
import type { CookieView } from '../inspector/cookie-view.js';

/** What an attack can learn about the victim before it runs: the browser's jar and the state behind each cookie. */
export interface Victim {
  /** The victim's cookies for an app's origin, from the jar the inspector shows. */
  cookie(app: AppServices, name: string): CookieView | undefined;
  /** A refresh token's state at the identity server; undefined when it cannot be known (a real FusionAuth). */
  refreshTokenStatus(token: string): GrantStatus | 'unknown' | undefined;
}

/** The session id inside an express-session cookie value (`s:<id>.<signature>`, URL-encoded). */
export function sessionIdOf(cookieValue: string): string | undefined {
  let decoded;
  try {
    decoded = decodeURIComponent(cookieValue);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('s:')) return undefined;
  const dot = decoded.lastIndexOf('.');
  return dot > 2 ? decoded.slice(2, dot) : undefined;
}

/** Whether the server-side session a cookie points at is alive now. */
export function sessionAlive(app: AppServices, cookieValue: string): boolean {
  const sid = sessionIdOf(cookieValue);
  return sid !== undefined && app.sessions.isLive(sid);
}
