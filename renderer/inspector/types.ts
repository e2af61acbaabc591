/**
 * The inspector API's wire shapes, mirrored from backend/inspector/state.ts, backend/trace/types.ts and
 * backend/workflows/types.ts: the web tsconfig cannot pull in backend files (they import Node and Express).
 * Keep in step with those files.
 */

export type Lane = 'browser' | 'store' | 'forum' | 'idp' | 'attacker';
export type Phase = 'initialise' | 'login' | 'use' | 'expiry' | 'forum' | 'attack';
export type StepKind = 'request' | 'response' | 'internal';
export type Actor = 'browser' | 'store-backend' | 'forum-backend' | 'attacker';
export type AppId = 'store' | 'forum';
export type ExpireKind = 'session' | 'refresh-token' | 'sso-session';

export interface StepView {
  n: number;
  label: string;
  phase: Phase;
  from: Lane;
  to: Lane;
  kind: StepKind;
  notation: string | null;
  caption: string;
  seen: boolean;
  count: number;
  lastEventId: number | null;
  firstSeen: number | null;
}

export interface CookieView {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'Lax' | 'Strict' | 'None' | 'Unspecified';
  /** Epoch ms; absent for a browser-session cookie. */
  expires?: number;
}

export type EndReason = 'expired-idle' | 'expired-absolute' | 'destroyed' | 'logout' | 'replaced' | 'forced';

export interface SessionView {
  sid: string;
  userEmail: string | null;
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
  /** Earlier values of a one-time-use token, oldest first. */
  rotations: string[];
}

export interface SsoSessionView {
  id: string;
  userId: string;
  email: string;
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

export interface Ttl {
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  accessTokenSeconds: number;
  refreshTokenMinutes: number;
  ssoSessionSeconds: number;
}

export interface Switches {
  injectedScript: boolean;
  audienceCheck: boolean;
}

export interface Loot {
  time: number;
  kind: string;
  value: string;
  from?: string;
}

export interface InspectorState {
  workflow: string;
  workflowTitle: string;
  workflows: Array<{ id: string; title: string }>;
  now: number;
  identity: { kind: 'embedded' | 'fusionauth'; publicUrl: string };
  secureCookies: boolean;
  ttl: Ttl;
  steps: StepView[];
  cookieSource: 'observed' | 'electron';
  cookies: Record<string, CookieView[]>;
  sessions: Record<AppId, SessionView[]>;
  idp: { refreshTokens: RefreshTokenView[]; ssoSessions: SsoSessionView[]; users: UserView[] };
  attacks: Array<{ id: string; title: string }>;
  switches: Switches;
  loot: Loot[];
}

interface EventBase {
  id: number;
  time: number;
  correlationId?: number;
}

export interface ExchangeEvent extends EventBase {
  type: 'exchange';
  actor: Actor;
  origin: 'store' | 'forum' | 'login' | 'inspector' | 'attacker' | 'external';
  method: string;
  url: string;
  path: string;
  requestCookies: Record<string, string>;
  requestBody?: string;
  status: number;
  setCookies: string[];
  location?: string;
  responseBody?: string;
  contentType?: string;
  durationMs: number;
  caused: string[];
}

export interface InternalEvent extends EventBase {
  /** session.created, idp.refresh.issued, … (backend/trace/types.ts InternalEventType). */
  type: string;
  system: AppId | 'idp' | 'loginscope';
  data: Record<string, unknown>;
}

export type TraceEvent = ExchangeEvent | InternalEvent;

export function isExchange(e: TraceEvent): e is ExchangeEvent {
  return e.type === 'exchange';
}

export interface StepHit {
  n: number;
  eventId: number;
  part?: 'request' | 'response';
}

export interface AttackOutcome {
  outcome: string;
  succeeded: boolean;
  status: number;
  events: number[];
}
