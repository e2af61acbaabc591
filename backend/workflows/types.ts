import type { Request, Response, Router } from 'express';
import type { AppId, HostRole } from '../hosts.js';
import type { SessionUser } from '../sessions/session-data.js';
import type { Actor, ExchangeEvent, InternalEventType, System } from '../trace/types.js';
import type { AppServices } from '../app/app-services.js';
import type { Attack, AttackDeps } from '../attacks/types.js';
import type { DemoSwitches } from '../demo-switches.js';
import type { TrackEntry } from './track-types.js';

export const WORKFLOW_IDS = ['native-refresh', 'implicit-session'] as const;
export type WorkflowId = (typeof WORKFLOW_IDS)[number];

/** The lanes of the sequence diagram. */
export type Lane = 'browser' | 'store' | 'forum' | 'idp' | 'attacker';

/** Sections of a walk, labelled in the diagram. */
export type Phase = 'initialise' | 'login' | 'use' | 'expiry' | 'forum' | 'attack';

/** Recognises an exchange as the request half or the response half of a step. */
export interface ExchangeMatch {
  exchange: {
    part: 'request' | 'response';
    actor?: Actor;
    origin?: HostRole | 'external' | ReadonlyArray<HostRole | 'external'>;
    method?: string;
    path?: string | readonly string[];
    status?: number | readonly number[];
    /** The request carried a cookie whose name ends with each of these (a step whose notation names cookies needs them). */
    sendsCookies?: readonly string[];
    /** The scripted attack that made the request (the attacker's own calls say which attack they belong to). */
    attack?: string;
    /** One of the events this exchange caused starts with this text (e.g. 'exchange:login POST /api/jwt/refresh 200'). */
    caused?: string;
    /** None of the events this exchange caused starts with this text. */
    notCaused?: string;
    /** The response sets a cookie whose name ends with this. */
    setsCookie?: string;
    /** The response redirects to this origin. */
    locationHost?: HostRole;
  };
  /** The top-level exchange this happened inside (for a nested call). */
  within?: WithinMatch;
}

/** Recognises an internal event, optionally only inside a given top-level exchange. */
export interface EventMatch {
  event: InternalEventType;
  system?: System;
  /** Each key must equal the event's data at that key. */
  data?: Record<string, unknown>;
  within?: WithinMatch;
}

export interface WithinMatch {
  actor?: Actor;
  origin?: HostRole;
  method?: string;
  path?: string;
  attack?: string;
}

export type StepMatch = ExchangeMatch | EventMatch;

/** One numbered step of a seed workflow, in our own words, and the trace evidence that proves it happened. */
export interface Step {
  /** The seed's number (its order); extra steps after the seed's take numbers above 100 and show their `tag`. */
  n: number;
  /** What the diagram shows instead of `n` (e.g. `A1` for an attack arrow the seed does not draw). */
  tag?: string;
  from: Lane;
  to: Lane;
  label: string;
  /** The seeds' legend: `()` bodies, `{}` parameters, `[]` cookies. */
  notation?: string;
  kind: 'request' | 'response' | 'internal';
  phase: Phase;
  match: StepMatch;
  /** The label as it really happened (a cached load, the request that carried a refresh), from the matched exchange. */
  labelFor?: (exchange: ExchangeEvent) => string;
  /** One plain sentence for presenter mode. */
  caption: string;
}

/** What the shared endpoints ask the active workflow: who is this request's user, renewing the session if it can. */
export type ResumeSession = (req: Request, res: Response, services: AppServices) => Promise<SessionUser | undefined>;

/** A workflow: data (the step catalogue) plus the few routes only it has. */
export interface Workflow {
  id: WorkflowId;
  title: string;
  seed: string;
  steps: readonly Step[];
  /** The guided track: what to say and do, phase by phase (track.ts next to the steps). */
  track: readonly TrackEntry[];
  /** Mounted under the app's origin for both apps. */
  routes(app: AppId, services: AppServices): Router;
  resume: ResumeSession;
  /** The attack vectors shown for this workflow, in the seed's order. */
  attacks(deps: AttackDeps): Attack[];
  /** The demo switches that mean something in this workflow (the others are not shown). */
  switches: ReadonlyArray<keyof DemoSwitches>;
  /** Extra start-up facts the SPA needs for this workflow's login (e.g. the authorize URL). */
  clientInfo?(services: AppServices): Record<string, unknown>;
}

export type { TrackEffect, TrackEntry, TrackNext } from './track-types.js';
