/**
 * The inspector API's wire shapes. Types from backend files that import nothing of Node (trace events, cookies)
 * are re-exported; the rest mirror backend/inspector/state.ts and backend/workflows/types.ts, whose modules
 * import Node and Express and cannot be part of the web build. Keep those in step.
 */
import type { CookieView } from '../../backend/inspector/cookie-view.js';
import type { GrantStatus, RefreshTokenView, SsoSessionView, UserView } from '../../backend/idp/admin-views.js';
import type { EndReason, SessionView } from '../../backend/sessions/session-view.js';
import type { Actor, ExchangeEvent, InternalEvent, StepHit, TraceEvent } from '../../backend/trace/types.js';

export type { Actor, CookieView, EndReason, ExchangeEvent, GrantStatus, InternalEvent, RefreshTokenView, SessionView, SsoSessionView, StepHit, TraceEvent, UserView };

/** The last connection check of a configured FusionAuth (backend/fusionauth/connection-check.ts). */
export interface ConnectionCheck {
  ok: boolean;
  fatal: boolean;
  checkedAt: number;
  url: string;
  problems: Array<{ check: string; message: string }>;
}

export type Lane = 'browser' | 'store' | 'forum' | 'idp' | 'attacker';
export type Phase = 'initialise' | 'login' | 'use' | 'expiry' | 'forum' | 'attack';
export type StepKind = 'request' | 'response' | 'internal';
export type AppId = 'store' | 'forum';
export type ExpireKind = 'session' | 'refresh-token' | 'sso-session';

export interface StepView {
  n: number;
  /** What the diagram shows and `data-step` carries: the seed's number, or A1… for an arrow the seed does not draw. */
  tag: string;
  /** As it last happened (a cached load, the request that carried a refresh), else the catalogue's. */
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
  /** False where this mode cannot see the exchange (browser ↔ a real FusionAuth, in web mode). */
  observable: boolean;
  observableReason: string | null;
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

import type { TrackEntry } from '../../backend/workflows/track-types.js';
export type { TrackEffect, TrackEntry, TrackNext } from '../../backend/workflows/track-types.js';

export interface InspectorState {
  workflow: string;
  workflowTitle: string;
  workflows: Array<{ id: string; title: string }>;
  now: number;
  identity: { kind: 'embedded' | 'fusionauth'; publicUrl: string; check: ConnectionCheck | null; observed: boolean };
  secureCookies: boolean;
  appUrls: Record<AppId, string>;
  ttl: Ttl;
  steps: StepView[];
  track: TrackEntry[];
  cookieSource: 'observed' | 'electron';
  cookies: Record<string, CookieView[]>;
  sessions: Record<AppId, SessionView[]>;
  idp: { refreshTokens: RefreshTokenView[]; ssoSessions: SsoSessionView[]; users: UserView[] };
  attacks: AttackView[];
  switches: Switches;
  switchesShown: Array<keyof Switches>;
  /** The defences' settings (issue 15), and the catalogue entries of those that apply to the shown workflow. */
  defences: DefenceSettings;
  defencesShown: Defence[];
  resetGeneration: number;
  /** How far the clock runs ahead of real time (kept across restarts). */
  clockOffsetMs: number;
  /** What each bounded list left out. */
  leftOut: { sessions: Record<AppId, number>; refreshTokens: number; ssoSessions: number };
  loot: Loot[];
}

export { isExchange } from '../../backend/trace/types.js';

/** What the inspector API adds to a trace event (GET /api/trace and the SSE stream). */
export interface TraceEventFlags {
  /** Loginscope's own call, not the app's traffic (backend/trace/plumbing.ts); the trace list hides these by default. */
  plumbing?: true;
}


export type { AttackOptions, AttackOutcome, AttackReadiness } from '../../backend/attacks/types.js';
import type { Defence, DefenceId } from '../../backend/defences/catalogue.js';
export type { Defence, DefenceId };
export type DefenceSettings = Record<DefenceId, boolean>;
import type { AttackReadiness } from '../../backend/attacks/types.js';

/** An attack as the panel lists it: what it needs, and what is missing now. */
export type AttackView = { id: string; title: string } & AttackReadiness;
