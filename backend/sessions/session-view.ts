/**
 * A server-side session as the inspector shows it. Types only, importing nothing of Node, so the inspector page
 * shares them instead of mirroring them.
 */

/** Why a session is no longer usable; kept on the row so the inspector can say it. */
export type EndReason = 'expired-idle' | 'expired-absolute' | 'destroyed' | 'logout' | 'replaced' | 'forced' | 'client-mismatch';

export interface SessionView {
  sid: string;
  userEmail: string | null;
  /** How it began: login, refresh or start-session. */
  origin: string | undefined;
  createdAt: number;
  touchedAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
  status: 'active' | 'ended';
  user: unknown;
  jwt: string | undefined;
  jwtClaims: Record<string, unknown> | undefined;
}
