import type { AppId } from '../hosts.js';

/**
 * What the inspector shows of the identity server. Types only, importing nothing of Node, so the inspector page
 * shares them instead of mirroring them.
 */

/** A refresh token's or an SSO session's state, by the clock. */
export type GrantStatus = 'active' | 'expired' | 'revoked';

export interface RefreshTokenView {
  id: string;
  app: AppId;
  applicationId: string;
  userId: string;
  email: string;
  token: string;
  insertInstant: number;
  startInstant: number;
  expiresInstant: number;
  lastAccessedInstant?: number;
  status: GrantStatus;
  revokedReason?: string;
  /** Earlier values of a one-time-use token, oldest first; the row and its id stay the same. */
  rotations: string[];
}

export interface SsoSessionView {
  id: string;
  userId: string;
  email: string;
  /** The `fusionauth.sso` cookie value. */
  token: string;
  startInstant: number;
  lastUsedInstant: number;
  expiresInstant: number;
  status: GrantStatus;
  revokedReason?: string;
}

export interface UserView {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  registrations: AppId[];
}
