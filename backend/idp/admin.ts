import type { AppId } from '../hosts.js';
import type { Idp } from './idp.js';
import type { RefreshTokenPolicy } from './policy.js';
import type { RefreshTokenView, SsoSessionView, UserView } from './admin-views.js';
import { refreshTokenExpiresInstant, refreshTokenStatus } from './refresh-tokens.js';
import { ssoExpiresInstant, ssoStatus } from './sso-sessions.js';

/** What the inspector reads and does to the identity server. Expiring is by the clock, now; nothing sleeps. */
export interface IdentityAdmin {
  refreshTokens(): RefreshTokenView[];
  ssoSessions(): SsoSessionView[];
  users(): UserView[];
  /** Expire one (by id) or every live one now; returns how many changed. */
  expireRefreshTokens(id?: string, app?: AppId): number;
  expireSsoSessions(id?: string): number;
  /** Drop refresh tokens, SSO sessions, codes and failed-login counters; keep users, applications and keys. */
  reset(): void;
  refreshTokenPolicy(): RefreshTokenPolicy;
  setRefreshTokenPolicy(change: Partial<RefreshTokenPolicy>): RefreshTokenPolicy;
}

export function createIdentityAdmin(idp: Idp): IdentityAdmin {
  const { store, directory } = idp;
  const appOf = (applicationId: string) => directory.byId(applicationId)!.app;
  const emails = () => new Map(store.users().map((u) => [u.id, u.email]));
  return {
    refreshTokens() {
      const email = emails();
      return store.refreshTokens().map((t) => {
        const status = refreshTokenStatus(idp, t);
        return {
          id: t.id,
          app: appOf(t.applicationId),
          applicationId: t.applicationId,
          userId: t.userId,
          email: email.get(t.userId) ?? '',
          token: t.token,
          insertInstant: t.insertInstant,
          startInstant: t.startInstant,
          expiresInstant: refreshTokenExpiresInstant(idp, t),
          ...(t.lastAccessedInstant !== null && { lastAccessedInstant: t.lastAccessedInstant }),
          status,
          ...(t.revokedReason !== null && { revokedReason: t.revokedReason }),
          rotations: store.rotations(t.id).map((r) => r.token),
        };
      });
    },
    ssoSessions() {
      const email = emails();
      return store.ssoSessions().map((s) => ({
        id: s.id,
        userId: s.userId,
        email: email.get(s.userId) ?? '',
        token: s.token,
        startInstant: s.startInstant,
        lastUsedInstant: s.lastUsedInstant,
        expiresInstant: ssoExpiresInstant(idp, s),
        status: ssoStatus(idp, s),
        ...(s.revokedReason !== null && { revokedReason: s.revokedReason }),
      }));
    },
    users() {
      return store.users().map((u) => ({
        id: u.id,
        email: u.email,
        firstName: u.firstName ?? '',
        lastName: u.lastName ?? '',
        registrations: store.registrations(u.id).map((r) => appOf(r.applicationId)),
      }));
    },
    expireRefreshTokens(id, app) {
      const now = idp.now();
      const live = store
        .refreshTokens()
        .filter((t) => (id === undefined || t.id === id) && (app === undefined || appOf(t.applicationId) === app) && refreshTokenStatus(idp, t) === 'active');
      store.transaction(() => live.forEach((t) => store.expireRefreshToken(t.id, now)));
      return live.length;
    },
    expireSsoSessions(id) {
      const now = idp.now();
      const live = store.ssoSessions().filter((s) => (id === undefined || s.id === id) && ssoStatus(idp, s) === 'active');
      store.transaction(() => live.forEach((s) => store.expireSsoSession(s.id, now)));
      return live.length;
    },
    reset() {
      store.resetRuntimeState();
    },
    refreshTokenPolicy() {
      return { ...idp.policy };
    },
    setRefreshTokenPolicy(change) {
      Object.assign(idp.policy, change);
      return { ...idp.policy };
    },
  };
}
