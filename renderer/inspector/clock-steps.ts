import type { Ttl } from './types.js';

/** "A while later": just past the session idle timeout, in seconds. */
export const whileLater = (ttl: Ttl): number => ttl.sessionIdleSeconds + 1;

/** "Later still": past the refresh token's lifetime too. */
export const laterStill = (ttl: Ttl): number => Math.max(ttl.refreshTokenMinutes * 60, ttl.sessionIdleSeconds) + 1;
