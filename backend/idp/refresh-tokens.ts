import { randomBytes, randomUUID } from 'node:crypto';
import type { Application } from './directory.js';
import type { Idp } from './idp.js';
import type { RefreshTokenRecord } from './store.js';
import type { GrantStatus } from './admin-views.js';

export type RefreshRejection = 'unknown' | 'expired' | 'revoked' | 'reused';

/** Opaque and URL-safe, like current FusionAuth values (54 characters). */
export function newTokenValue(): string {
  return randomBytes(40).toString('base64url');
}

/** Expiry from the current policy (as FusionAuth does at check time), or the moment the inspector expired it. */
export function refreshTokenExpiresInstant(idp: Idp, t: RefreshTokenRecord): number {
  const byPolicy = t.startInstant + idp.policy.timeToLiveInMinutes * 60_000;
  return t.expiredInstant === null ? byPolicy : Math.min(byPolicy, t.expiredInstant);
}

export function refreshTokenStatus(idp: Idp, t: RefreshTokenRecord): GrantStatus {
  if (t.revokedInstant !== null) return 'revoked';
  return idp.now() >= refreshTokenExpiresInstant(idp, t) ? 'expired' : 'active';
}

export interface NewRefreshToken {
  userId: string;
  application: Application;
  authInstant: number;
  grantType: string;
  scopes?: string[];
  publicClient?: boolean;
  /** When its lifetime starts (default now): the Issue API's token shares its source token's. */
  startInstant?: number;
}

export function createRefreshToken(idp: Idp, req: NewRefreshToken): RefreshTokenRecord {
  const now = idp.now();
  const record: RefreshTokenRecord = {
    id: randomUUID(),
    token: newTokenValue(),
    applicationId: req.application.id,
    userId: req.userId,
    insertInstant: now,
    startInstant: req.startInstant ?? now,
    authInstant: req.authInstant,
    grantType: req.grantType,
    scopes: req.scopes ?? [],
    publicClient: req.publicClient ?? false,
    lastAccessedInstant: null,
    lastRotatedInstant: null,
    expiredInstant: null,
    revokedInstant: null,
    revokedReason: null,
  };
  idp.store.insertRefreshToken(record);
  return record;
}

export type ExchangeResult =
  | { ok: true; record: RefreshTokenRecord; rotated: boolean; graced: boolean }
  | { ok: false; reason: RefreshRejection; record?: RefreshTokenRecord };

/**
 * Spends a refresh token: checks it, slides or rotates it, all in one immediate transaction. better-sqlite3 is
 * synchronous, so two refreshes of one value can never interleave: a one-time value is spent exactly once.
 */
export function exchangeRefreshToken(idp: Idp, value: string): ExchangeResult {
  const { store, policy } = idp;
  return store.transaction((): ExchangeResult => {
    const now = idp.now();
    const record = store.refreshTokenByValue(value);
    if (!record) {
      const rotation = store.rotationByValue(value);
      const owner = rotation && store.refreshTokenById(rotation.refreshTokenId);
      if (!rotation || !owner) return { ok: false, reason: 'unknown' };
      const status = refreshTokenStatus(idp, owner);
      if (status !== 'active') return { ok: false, reason: status, record: owner };
      const justReplaced = owner.lastRotatedInstant === rotation.replacedInstant;
      const grace = policy.oneTimeUseGracePeriodSeconds * 1000;
      if (justReplaced && grace > 0 && now - rotation.replacedInstant <= grace) {
        store.touchRefreshToken(owner.id, now, false);
        return { ok: true, record: store.refreshTokenById(owner.id)!, rotated: false, graced: true };
      }
      if (policy.revokeOnOneTimeTokenReuse) store.revokeRefreshToken(owner.id, now, 'reused');
      return { ok: false, reason: 'reused', record: store.refreshTokenById(owner.id)! };
    }
    const status = refreshTokenStatus(idp, record);
    if (status !== 'active') return { ok: false, reason: status, record };
    store.touchRefreshToken(record.id, now, policy.expiration === 'SlidingWindow');
    const rotated = policy.usage === 'OneTimeUse';
    if (rotated) store.rotateRefreshToken(record.id, value, newTokenValue(), now);
    return { ok: true, record: store.refreshTokenById(record.id)!, rotated, graced: false };
  });
}

/** FusionAuth's RefreshToken object (GET /api/jwt/refresh). */
export function refreshTokenJson(idp: Idp, t: RefreshTokenRecord) {
  return {
    applicationId: t.applicationId,
    id: t.id,
    insertInstant: t.insertInstant,
    metaData: {
      device: { lastAccessedInstant: t.lastAccessedInstant ?? t.insertInstant },
      scopes: t.scopes,
    },
    startInstant: t.startInstant,
    tenantId: idp.directory.tenant.id,
    token: t.token,
    userId: t.userId,
  };
}
