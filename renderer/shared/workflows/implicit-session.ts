import { api, type AuthorizeInfo, type EndSessionInfo } from '../api.js';
import type { BrowserWorkflow, BrowserWorkflowFactory, StartUpResult } from './types.js';
import { whoAmI } from './who-am-i.js';

/**
 * OAuth implicit grant into a server-side session: the page leaves for the identity server, comes back to the
 * redirect URI with the JWT in the fragment, hands it to the start-session API and scrubs it from the URL.
 * There is no refresh token, so a lost session means another trip to the identity server.
 */

/** The redirect URI's path on every app origin (outside contract). */
export const REDIRECT_PATH = '/oauth-redirect';

/** What this tab sent to the identity server, so the answer can be matched to it. */
export interface AuthorizeRequest {
  state: string;
  nonce: string;
}

export type RedirectFragment =
  | { kind: 'token'; accessToken: string; state: string | null }
  | { kind: 'error'; error: string; description: string | null; state: string | null }
  | { kind: 'none' };

/** How long an automatic trip to the identity server counts as "just tried"; a second 401 within it stops the loop. */
export const AUTO_REAUTHORIZE_WINDOW_MS = 60_000;

const REQUEST_KEY = 'loginscope.implicit.request';
const ANSWERED_KEY = 'loginscope.implicit.answeredStates';
const AUTO_REAUTHORIZE_KEY = 'loginscope.implicit.autoReauthorizeAt';

/** How many answered states a tab remembers: more than anyone presses Back, little enough for sessionStorage. */
export const ANSWERED_STATES_KEPT = 20;

/** Unguessable hex from the platform's CSPRNG. */
export function randomToken(bytes = 16, source: Pick<Crypto, 'getRandomValues'> = globalThis.crypto): string {
  const buffer = source.getRandomValues(new Uint8Array(bytes));
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function newAuthorizeRequest(source?: Pick<Crypto, 'getRandomValues'>): AuthorizeRequest {
  return { state: randomToken(16, source), nonce: randomToken(16, source) };
}

/**
 * The identity server's end-session URL for "Log out everywhere". No `post_logout_redirect_uri`: FusionAuth checks it
 * against the authorized redirect URLs, where only the redirect URI is registered, and landing there would look like
 * a login; without it FusionAuth sends the browser to the application's registered logout URL (the app's `/`).
 */
export function buildEndSessionUrl(endSession: EndSessionInfo, clientId: string): string {
  const url = new URL(endSession.url);
  url.searchParams.set('client_id', clientId);
  return url.toString();
}

export function buildAuthorizeUrl(authorize: AuthorizeInfo, request: AuthorizeRequest): string {
  const url = new URL(authorize.url);
  url.searchParams.set('client_id', authorize.clientId);
  url.searchParams.set('redirect_uri', authorize.redirectUri);
  url.searchParams.set('response_type', 'token');
  url.searchParams.set('state', request.state);
  url.searchParams.set('nonce', request.nonce);
  return url.toString();
}

/** Reads the identity server's answer from `location.hash` (with or without the leading `#`). */
export function parseRedirectFragment(hash: string): RedirectFragment {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const state = params.get('state');
  const error = params.get('error');
  if (error) return { kind: 'error', error, description: params.get('error_description'), state };
  const accessToken = params.get('access_token');
  if (accessToken) return { kind: 'token', accessToken, state };
  return { kind: 'none' };
}

/** An answer counts only if this tab asked for it: both states present and equal. */
export function stateMatches(expected: string | null | undefined, received: string | null | undefined): boolean {
  return Boolean(expected) && Boolean(received) && expected === received;
}

export function parseStoredRequest(raw: string | null): AuthorizeRequest | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { state, nonce } = value as Record<string, unknown>;
    return typeof state === 'string' && typeof nonce === 'string' ? { state, nonce } : null;
  } catch {
    return null;
  }
}

/** The states this tab has already had an answer for, oldest first; anything unreadable counts as none. */
export function parseAnsweredStates(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberAnswered(answered: readonly string[], state: string, keep = ANSWERED_STATES_KEPT): string[] {
  return [...answered.filter((s) => s !== state), state].slice(-keep);
}

/**
 * What to do with what arrived at the redirect URI. `replayed` is an answer to a state this tab already used: Back
 * into the identity server's authorize entry makes it answer again, with a new token, which is never posted; the
 * backend says who is logged in. `foreign` is a token for a login this tab did not start: refused.
 */
export type RedirectVerdict =
  | { kind: 'ask-backend' }
  | { kind: 'replayed' }
  | { kind: 'identity-error'; message: string }
  | { kind: 'accept'; accessToken: string }
  | { kind: 'foreign' };

export function judgeRedirect(fragment: RedirectFragment, pendingState: string | null | undefined, answered: readonly string[]): RedirectVerdict {
  if (fragment.kind === 'none') return { kind: 'ask-backend' };
  if (fragment.state !== null && answered.includes(fragment.state)) return { kind: 'replayed' };
  if (fragment.kind === 'error') return { kind: 'identity-error', message: identityServerProblem(fragment) };
  return stateMatches(pendingState, fragment.state) ? { kind: 'accept', accessToken: fragment.accessToken } : { kind: 'foreign' };
}

/** Loop guard: go back to the identity server by itself only if it did not just do so (a marker from the future, after a clock change, is stale). */
export function mayAutoReauthorize(lastAttemptAt: number | null, now: number, windowMs = AUTO_REAUTHORIZE_WINDOW_MS): boolean {
  return lastAttemptAt === null || now - lastAttemptAt >= windowMs || now < lastAttemptAt;
}

export function parseAttemptTime(raw: string | null): number | null {
  if (raw === null) return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

export function identityServerProblem(fragment: Extract<RedirectFragment, { kind: 'error' }>): string {
  return `The identity server did not log you in: ${fragment.description ?? fragment.error}`;
}

export const STATE_MISMATCH_MESSAGE =
  'The answer from the identity server does not belong to a login started in this tab (its state does not match), so it was not used.';

/** Back at the redirect URI: an answer is used once at most, and its token is left neither in the URL nor in history. */
async function finishRedirect(): Promise<StartUpResult> {
  const fragment = parseRedirectFragment(window.location.hash);
  const pending = parseStoredRequest(sessionStorage.getItem(REQUEST_KEY));
  const answered = parseAnsweredStates(sessionStorage.getItem(ANSWERED_KEY));
  const verdict = judgeRedirect(fragment, pending?.state, answered);
  if (fragment.kind !== 'none' && fragment.state !== null && stateMatches(pending?.state, fragment.state)) {
    // Marked before the start-session call, so a reload or Back while it runs cannot post this answer again.
    sessionStorage.removeItem(REQUEST_KEY);
    sessionStorage.setItem(ANSWERED_KEY, JSON.stringify(rememberAnswered(answered, fragment.state)));
  }
  // `replaceState` rewrites this history entry itself, so Back and Forward never bring the token back.
  const scrub = () => window.history.replaceState(null, '', '/');
  if (verdict.kind !== 'accept') {
    scrub();
    if (verdict.kind === 'identity-error') return { status: 'logged-out', notice: { kind: 'problem', message: verdict.message } };
    const now = await whoAmI();
    // A foreign token is refused whatever the session; the warning matters only when it left the user logged out.
    return verdict.kind === 'foreign' && now.status === 'logged-out' ? { status: 'logged-out', notice: { kind: 'problem', message: STATE_MISMATCH_MESSAGE } } : now;
  }
  // The accepted token stays in the address bar until its call is done: the seed's "for this moment, scripts can read it".
  try {
    const res = await api.startSession({ token: verdict.accessToken });
    return res.ok ? { status: 'logged-in', user: res.data.user } : { status: 'logged-out', notice: { kind: 'problem', message: res.error.message } };
  } finally {
    scrub();
  }
}

export const createImplicitSession: BrowserWorkflowFactory = (info): BrowserWorkflow => {
  const { authorize, endSession } = info;
  if (!authorize) throw new Error('The application backend did not say where the identity server is (no authorize URL).');

  const begin = () => {
    const request = newAuthorizeRequest();
    sessionStorage.setItem(REQUEST_KEY, JSON.stringify(request));
    window.location.assign(buildAuthorizeUrl(authorize, request));
  };

  return {
    id: 'implicit-session',
    login: { kind: 'identity-server', begin },
    startUp: () => (window.location.pathname === REDIRECT_PATH ? finishRedirect() : whoAmI()),
    sessionEnded() {
      const now = Date.now();
      if (!mayAutoReauthorize(parseAttemptTime(sessionStorage.getItem(AUTO_REAUTHORIZE_KEY)), now)) {
        return { status: 'logged-out', notice: { kind: 'session-ended' } };
      }
      // The identity server's SSO session usually sends the browser straight back with a new token.
      sessionStorage.setItem(AUTO_REAUTHORIZE_KEY, String(now));
      begin();
      return { status: 'leaving' };
    },
    sessionConfirmed: () => sessionStorage.removeItem(AUTO_REAUTHORIZE_KEY),
    ...(endSession && { endSsoSession: () => window.location.assign(buildEndSessionUrl(endSession, authorize.clientId)) }),
  };
};
