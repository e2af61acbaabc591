import type { LoginscopeConfig } from '../config.js';

/**
 * How refresh tokens live and die. Starts from the config; the inspector may change it at run time
 * (FusionAuth, too, computes expiry from the current configuration at check time).
 */
export interface RefreshTokenPolicy {
  usage: 'Reusable' | 'OneTimeUse';
  expiration: 'Fixed' | 'SlidingWindow';
  timeToLiveInMinutes: number;
  /** OneTimeUse only: a replay of the value just replaced, this soon after, gets the current value back. */
  oneTimeUseGracePeriodSeconds: number;
  /** OneTimeUse only: a replay outside the grace period revokes the token (tenant `onOneTimeTokenReuse`). */
  revokeOnOneTimeTokenReuse: boolean;
  /** Real FusionAuth answers a dead refresh token with 400; the seed's article draws 404. */
  deadTokenStatus: 400 | 404;
}

export function initialRefreshTokenPolicy(config: LoginscopeConfig): RefreshTokenPolicy {
  const identity = config.identity.kind === 'embedded' ? config.identity : undefined;
  return {
    usage: identity?.refreshTokenUsagePolicy ?? 'Reusable',
    expiration: identity?.refreshTokenExpirationPolicy ?? 'Fixed',
    timeToLiveInMinutes: config.ttl.refreshTokenMinutes,
    oneTimeUseGracePeriodSeconds: identity?.refreshTokenOneTimeUseGraceSeconds ?? 0,
    revokeOnOneTimeTokenReuse: false,
    deadTokenStatus: identity?.deadRefreshTokenStatus ?? 400,
  };
}

/**
 * FusionAuth's `scopeHandlingPolicy`. `Strict`: access tokens name the user by `sub` only, id tokens and userinfo
 * answer the claims of the granted scopes, userinfo takes only access tokens whose scope has `openid`.
 * `Compatibility`: email claims in every token, userinfo takes any of our tokens, as before FusionAuth 1.50.
 */
export type ScopeHandlingPolicy = 'Strict' | 'Compatibility';

export function scopeHandlingPolicy(config: LoginscopeConfig): ScopeHandlingPolicy {
  return config.identity.kind === 'embedded' ? config.identity.scopeHandlingPolicy : 'Strict';
}
