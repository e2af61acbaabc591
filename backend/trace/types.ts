import type { AppId, HostRole } from '../hosts.js';

/** Who made a request. The backends and the attacker label their own calls; everything else is the browser. */
export const ACTORS = ['browser', 'store-backend', 'forum-backend', 'attacker'] as const;
export type Actor = (typeof ACTORS)[number];

/** Header our own HTTP clients set so the recorder can tell their calls from the browser's. */
export const ACTOR_HEADER = 'x-loginscope-actor';
/** Header the scripted attacker sets to say which attack a call belongs to (believed only with the actor key). */
export const ATTACK_HEADER = 'x-loginscope-attack';

/** Internal events: things that happen inside a system and that a step can point at. */
export type InternalEventType =
  | 'session.created'
  | 'session.touched'
  | 'session.expired'
  | 'session.rejected'
  | 'session.destroyed'
  | 'idp.login.succeeded'
  | 'idp.login.failed'
  | 'idp.token.issued'
  | 'idp.refresh.issued'
  | 'idp.refresh.rejected'
  | 'idp.sso.created'
  | 'idp.sso.reused'
  | 'idp.redirect.issued'
  | 'clock.advanced'
  | 'state.reset'
  | 'browser.rendered';

/** Where an internal event happened. */
export type System = AppId | 'idp' | 'loginscope';

interface EventBase {
  /** Increasing; an exchange takes its id when the request starts, so it sorts before what it caused. */
  id: number;
  /** Clock time (ms) when it started. */
  time: number;
  /** The id of the browser-or-attacker exchange this happened inside, if any. */
  correlationId?: number;
}

export interface ExchangeEvent extends EventBase {
  type: 'exchange';
  actor: Actor;
  /** Our origin it went to, or 'external' for a real FusionAuth. */
  origin: HostRole | 'external';
  method: string;
  url: string;
  path: string;
  requestCookies: Record<string, string>;
  /** Content-Type, Authorization, Origin and Sec-Fetch-* as sent (see request-headers.ts). */
  requestHeaders?: Record<string, string>;
  requestBody?: string;
  status: number;
  setCookies: string[];
  location?: string;
  responseBody?: string;
  contentType?: string;
  durationMs: number;
  /** For the attacker's own calls: the scripted attack they belong to. */
  attack?: string;
  /** Types of the events this exchange caused, in order (internal events and nested exchanges as `exchange:<origin> <METHOD> <path> <status>`). */
  caused: string[];
}

export interface InternalEvent extends EventBase {
  type: InternalEventType;
  system: System;
  data: Record<string, unknown>;
}

export type TraceEvent = ExchangeEvent | InternalEvent;

export function isExchange(e: TraceEvent): e is ExchangeEvent {
  return e.type === 'exchange';
}

/** A step of the active workflow proven by an event (or one half of an exchange). */
export interface StepHit {
  n: number;
  /** The step's label as it really happened this time (a cached load, the request that carried a refresh). */
  label: string;
  eventId: number;
  part?: 'request' | 'response';
  /** The step's place in first-seen order, so a live view can order without asking for the state. */
  firstSeen: number;
}
