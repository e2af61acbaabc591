import { api } from '../api.js';
import { parseRedirectFragment, REDIRECT_PATH } from './implicit-session.js';
import type { BrowserWorkflow, BrowserWorkflowFactory } from './types.js';
import { whoAmI } from './who-am-i.js';

/**
 * An identity server's answer that reaches this workflow (a hosted login page left open across a switch from the
 * implicit grant, then used) is not for it: it is not used, and its token leaves the address bar and this history
 * entry at once, as the implicit grant's own page does.
 */
export function dropStrayRedirectAnswer(): void {
  if (typeof window === 'undefined') return;
  if (window.location.pathname === REDIRECT_PATH || parseRedirectFragment(window.location.hash).kind !== 'none') window.history.replaceState(null, '', '/');
}

/**
 * Native login: the page's own form posts the credentials to the application backend, which keeps the
 * session and refresh token in HttpOnly cookies. Renewal happens on the server, so a 401 means "log in again".
 */
export const createNativeRefresh: BrowserWorkflowFactory = (): BrowserWorkflow => ({
  id: 'native-refresh',
  login: {
    kind: 'password-form',
    async submit(credentials) {
      const res = await api.login(credentials);
      return res.ok ? { ok: true, user: res.data.user } : { ok: false, message: res.error.message };
    },
  },
  startUp: () => {
    dropStrayRedirectAnswer();
    return whoAmI();
  },
  sessionEnded: () => ({ status: 'logged-out', notice: { kind: 'session-ended' } }),
  sessionConfirmed: () => {},
});
