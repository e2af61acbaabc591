import { api } from '../api.js';
import type { BrowserWorkflow, BrowserWorkflowFactory } from './types.js';
import { whoAmI } from './who-am-i.js';

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
  startUp: whoAmI,
  sessionEnded: () => ({ status: 'logged-out', notice: { kind: 'session-ended' } }),
  sessionConfirmed: () => {},
});
